// The demo page: record a line, send it to the server, show what comes back.
//
// A line is recorded as pointer samples: one array of [x, y, t] per pen-down stroke, x and y in
// CSS pixels of the writing area (y grows downwards), t = event.timeStamp in milliseconds. The
// server turns them into the project's (end_of_stroke, dx, dy) line (synthesis/demo/pointer.py);
// this file only records, sends and draws.
"use strict";

const $ = (id) => document.getElementById(id);
const SVG_NS = "http://www.w3.org/2000/svg";
const MS_PER_STEP = 12; // the written line's animation: one generated point every 12 ms

const pad = $("pad");
const strokes = []; // the line: [[x, y, t], ...] per stroke
let stroke = null; // the stroke being drawn; null while the pen is up

// ------------------------------------------------------------------------ the writing area
function sample(ev) {
  const box = pad.getBoundingClientRect();
  return [ev.clientX - box.left, ev.clientY - box.top, ev.timeStamp];
}

function fitPad() {
  // a sharp canvas on any screen: its pixels follow the CSS size times the pixel ratio
  const ratio = window.devicePixelRatio || 1;
  pad.width = Math.round(pad.clientWidth * ratio);
  pad.height = Math.round(pad.clientHeight * ratio);
  const ctx = pad.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.lineWidth = 2.5;
  ctx.lineCap = ctx.lineJoin = "round";
  redraw();
}

function redraw() {
  const ctx = pad.getContext("2d");
  ctx.clearRect(0, 0, pad.width, pad.height);
  ctx.strokeStyle = "#ccc"; // a baseline to write on
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(10, pad.clientHeight * 0.68);
  ctx.lineTo(pad.clientWidth - 10, pad.clientHeight * 0.68);
  ctx.stroke();
  ctx.strokeStyle = "#111";
  ctx.lineWidth = 2.5;
  for (const s of strokes) {
    ctx.beginPath();
    ctx.moveTo(s[0][0], s[0][1]);
    for (const [x, y] of s) ctx.lineTo(x, y);
    if (s.length === 1) ctx.lineTo(s[0][0] + 0.1, s[0][1]); // a dot
    ctx.stroke();
  }
}

function extendStroke(points) {
  const ctx = pad.getContext("2d");
  ctx.beginPath();
  const [x0, y0] = stroke[stroke.length - 1];
  ctx.moveTo(x0, y0);
  for (const [x, y] of points) ctx.lineTo(x, y);
  ctx.stroke();
  stroke.push(...points);
}

pad.addEventListener("pointerdown", (ev) => {
  ev.preventDefault();
  try {
    pad.setPointerCapture(ev.pointerId); // keep the stroke when the pen leaves the area
  } catch (err) {
    // an event made by a script has no real pointer to capture
  }
  stroke = [sample(ev)];
  strokes.push(stroke);
  redraw();
  lineChanged();
});

pad.addEventListener("pointermove", (ev) => {
  if (stroke === null) return;
  // a pen reports more samples than there are frames: the coalesced ones are all of them
  const all = ev.getCoalescedEvents ? ev.getCoalescedEvents() : [];
  extendStroke((all.length ? all : [ev]).map(sample));
});

for (const type of ["pointerup", "pointercancel"]) {
  pad.addEventListener(type, () => {
    stroke = null;
    lineChanged();
  });
}

$("undo").addEventListener("click", () => {
  strokes.pop();
  stroke = null;
  redraw();
  lineChanged();
});

$("clear").addEventListener("click", () => {
  strokes.length = 0;
  stroke = null;
  redraw();
  lineChanged();
});

function lineChanged() {
  const n = strokes.reduce((sum, s) => sum + s.length, 0);
  $("pad-status").textContent = n ? `${strokes.length} strokes, ${n} points` : "";
}

// ------------------------------------------------------------------------ talking to the server
async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  let data = null;
  try {
    data = await response.json();
  } catch (err) {
    throw new Error(`the server answered ${response.status} without a message`);
  }
  if (!response.ok) throw new Error(data.error || `the server answered ${response.status}`);
  return data;
}

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = !message;
}

async function busy(button, work) {
  // one request at a time per button; errors become the page's one-line message
  button.disabled = true;
  showError("");
  try {
    await work();
  } catch (err) {
    showError(err.message);
  } finally {
    button.disabled = false;
  }
}

function setDownloads(ids, lineId, name) {
  for (const [suffix, id] of Object.entries(ids)) {
    $(id).href = `/api/line/${lineId}.${suffix}`;
    $(id).download = `${name}.${suffix}`;
  }
}

function svgElement(tag, attributes) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
  return el;
}

// ------------------------------------------------------------------------ Read
$("read").addEventListener("click", () =>
  busy($("read"), async () => {
    const start = performance.now();
    const data = await post("/api/read", { strokes });
    $("greedy").textContent = data.greedy;
    $("beam").textContent = data.beam;
    $("beam-width").textContent = data.beam_width;
    drawReading($("reading"), data.trace, data.frames);
    setDownloads({ npy: "mine-npy", svg: "mine-svg", png: "mine-png" }, data.line_id, "my-line");
    $("prime-text").value = data.beam;
    document.querySelector('input[name="prime"][value="line"]').checked = true;
    $("read-section").hidden = false;
    const ms = performance.now() - start;
    $("read-status").textContent =
      `${data.points} points written in ${data.seconds_written} s; read in ` +
      `${(ms / 1000).toFixed(2)} s (server ${data.seconds.toFixed(2)} s).`;
    $("read-status").dataset.ms = ms.toFixed(0);
  }),
);

function drawReading(box, trace, frames) {
  // trace: [[x, y, pen_up], ...] in the recognizer's units, y up; frames: [[point, letter]]
  const xs = trace.map((p) => p[0]);
  const ys = trace.map((p) => -p[1]); // SVG's y points down
  const margin = 2;
  const [x0, y0] = [Math.min(...xs) - margin, Math.min(...ys) - margin];
  const [w, h] = [Math.max(...xs) - x0 + margin, Math.max(...ys) - y0 + margin];
  const svg = svgElement("svg", { viewBox: `${x0} ${y0} ${w} ${h}`, role: "img" });
  let points = [];
  trace.forEach((p, i) => {
    points.push(`${xs[i]},${ys[i]}`);
    if (p[2] > 0.5 || i === trace.length - 1) {
      svg.append(svgElement("polyline", { points: points.join(" "), class: "trace" }));
      points = [];
    }
  });
  for (const [i, letter] of frames) {
    const text = svgElement("text", { x: xs[i], y: ys[i], class: "frame-letter" });
    text.textContent = letter;
    svg.append(text);
  }
  box.replaceChildren(svg);
}

// ------------------------------------------------------------------------ Write
$("write").addEventListener("click", () =>
  busy($("write"), async () => {
    const start = performance.now();
    const prime = document.querySelector('input[name="prime"]:checked').value;
    const body = {
      text: $("text").value,
      bias: Number($("bias").value),
      seed: Number($("seed").value),
      prime,
      style: Number($("style").value),
    };
    if (prime === "line") Object.assign(body, { strokes, prime_text: $("prime-text").value });
    const data = await post("/api/write", body);
    $("written").innerHTML = data.svg; // made by the server's ink.draw.to_svg from numbers
    const ms = performance.now() - start;
    $("write-status").textContent =
      `${data.points} points, primed with ${data.primed_with}; written in ` +
      `${(ms / 1000).toFixed(2)} s (server ${data.seconds.toFixed(2)} s)` +
      (data.finished ? "." : "; it did not finish the text.");
    $("write-status").dataset.ms = ms.toFixed(0);
    setDownloads({ svg: "gen-svg", png: "gen-png", npy: "gen-npy" }, data.line_id, "written");
    $("write-downloads").hidden = false;
    animatePen($("written").querySelector("svg"), data.pen_steps);
    drawWindow(data.phi, `${data.text} `);
  }),
);

function animatePen(svg, penSteps) {
  // path i is stroke i (ink.draw.to_svg writes one <path> per pen-down stroke): it is drawn
  // while the writer makes its points penSteps[i] = [start, end), one point every MS_PER_STEP
  svg.querySelectorAll("path").forEach((path, i) => {
    const [start, end] = penSteps[i] || [0, 1];
    const length = path.getTotalLength();
    const timing = {
      delay: start * MS_PER_STEP,
      duration: Math.max(1, (end - start) * MS_PER_STEP),
      fill: "backwards", // hidden until the pen gets there
    };
    if (length > 0) {
      path.style.strokeDasharray = `${length} ${length}`;
      path.animate([{ strokeDashoffset: length }, { strokeDashoffset: 0 }], timing);
    } else {
      path.animate([{ opacity: 0 }, { opacity: 1 }], timing); // a dot
    }
  });
}

function drawWindow(phi, text) {
  // phi: (T, U + 1) weights of each step on each letter of the text and the space after it
  const canvas = $("phi");
  const show = Boolean(phi) && $("show-phi").checked;
  canvas.hidden = $("phi-note").hidden = !show;
  if (!show) return;
  const [steps, letters] = [phi.length, phi[0].length];
  const cell = 9; // pixels per letter row
  const labels = 16; // pixels for the letters on the left
  canvas.width = labels + steps * 2;
  canvas.height = letters * cell;
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.font = `${cell}px monospace`;
  ctx.textBaseline = "top";
  [...text].forEach((c, u) => ctx.fillText(c === " " ? "_" : c, 2, u * cell));
  let t = 0;
  const started = performance.now();
  function step() {
    // columns appear as the pen reaches them, in time with the animation above
    const upTo = Math.min(steps, Math.floor((performance.now() - started) / MS_PER_STEP));
    for (; t < upTo; t++) {
      for (let u = 0; u < letters; u++) {
        const grey = Math.round(255 * (1 - Math.min(1, phi[t][u])));
        ctx.fillStyle = `rgb(${grey},${grey},${grey})`;
        ctx.fillRect(labels + t * 2, u * cell, 2, cell);
      }
    }
    if (t < steps) requestAnimationFrame(step);
  }
  requestAnimationFrame(step);
}

window.addEventListener("resize", fitPad);
fitPad();
