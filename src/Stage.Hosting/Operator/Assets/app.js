// The operator page. Status arrives pushed (Server-Sent Events, /api/events); nothing here polls.
// Buttons post commands to /api/command with the operator token in a header: the engine runs them
// through the same command registry as the OSC control surface and the reply is shown as it comes.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const page = {
  stage: null,
  token: '',
  takesRevision: -1,
  takesDay: '',
  takes: [],
  thumbVersions: new Map(),
  statusCount: 0,
  countWindow: [],
  lastTakeId: null,
  recording: false,
  offMap: 0,
  mapBox: null,
};

const $ = (id) => document.getElementById(id);

function text(id, value) {
  const element = $(id);
  if (element.textContent !== value) element.textContent = value;
}

function fixed(value, digits) {
  return value === null || value === undefined ? '–' : Number(value).toFixed(digits);
}

function pair(p, unit) {
  if (!p || p.count === 0 || p.p50 === null) return '–';
  return `${fixed(p.p50, 1)} / ${fixed(p.p99, 1)} ${unit}`;
}

function badge(id, state, shape, words) {
  const element = $(id);
  element.dataset.state = state;
  element.querySelector('.shape').textContent = shape;
  element.lastElementChild.textContent = words;
}

// ---- commands -------------------------------------------------------------------------------

async function send(address, args = []) {
  const reply = $('reply');
  reply.dataset.ok = '';
  reply.textContent = `Sending ${address}…`;
  let response;
  try {
    response = await fetch('/api/command', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [page.stage?.tokenHeader ?? 'X-Stage-Token']: page.token },
      body: JSON.stringify({ address, args }),
    });
  } catch (error) {
    showReply(false, `${address}: Stage cannot be reached (${error.message})`);
    return false;
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const why = body.error ?? `HTTP ${response.status}`;
    showReply(false, `Refused (${response.status}): ${why}`);
    if (response.status === 403) setLocked(true);
    return false;
  }
  const replies = body.replies ?? [];
  const ok = replies.length > 0 && replies.every((r) => r.ok);
  showReply(ok, replies.map((r) => `${r.ok ? 'OK' : 'Error'}: ${r.address} — ${r.text}`).join('\n'));
  return ok;
}

function showReply(ok, words) {
  const reply = $('reply');
  reply.dataset.ok = String(ok);
  reply.textContent = words;
}

// ---- the token ------------------------------------------------------------------------------

function setLocked(locked) {
  if (locked) {
    badge('lock-state', 'locked', '◇', 'Read-only');
    $('lock').hidden = true;
  } else {
    badge('lock-state', 'unlocked', '◆', 'Controls unlocked');
    $('lock').hidden = false;
  }
}

async function unlock(token) {
  page.token = token;
  const ok = await send('/stage/ping');
  if (ok) {
    sessionStorage.setItem('stageToken', token);
    setLocked(false);
    showReply(true, 'Controls unlocked.');
  } else {
    page.token = '';
    sessionStorage.removeItem('stageToken');
    setLocked(true);
  }
}

function readTokenFromAddress() {
  // The URL stage run prints carries the token after '#', which browsers never send to a server.
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!match) return '';
  history.replaceState(null, '', location.pathname + location.search);
  return decodeURIComponent(match[1]);
}

// ---- the stage (static) ---------------------------------------------------------------------

function buildStage(stage) {
  page.stage = stage;
  document.title = `${stage.name} — Stage operator`;
  text('stage-name', stage.name);
  text('stage-rate', `${stage.frameRate} fps · ${stage.cameras.length} camera(s) · ${stage.outputs.length} output(s)`);

  const cameras = $('cameras').tBodies[0];
  cameras.replaceChildren();
  for (const camera of stage.cameras) {
    const row = cameras.insertRow();
    row.dataset.camera = camera.id;
    const name = document.createElement('th');
    name.scope = 'row';
    name.textContent = `${camera.id} (${camera.source})`;
    row.append(name);
    for (const field of ['status', 'rate', 'age', 'position', 'angles', 'lens']) {
      const cell = row.insertCell();
      cell.dataset.field = field;
      if (field === 'status') {
        const status = document.createElement('span');
        status.className = 'status';
        cell.append(status);
      }
    }
    for (const [field, address, label] of [['chromaKey', '/stage/camera/chromakey', 'Chroma key'], ['markers', '/stage/camera/markers', 'Markers']]) {
      const cell = row.insertCell();
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.field = field;
      button.setAttribute('aria-pressed', 'false');
      button.textContent = `${label} ${camera.id}: off`;
      button.addEventListener('click', () => send(address, [camera.id, button.getAttribute('aria-pressed') === 'true' ? 0 : 1]));
      cell.append(button);
    }
  }

  const outputs = $('outputs');
  outputs.replaceChildren();
  for (const output of stage.outputs) {
    const item = document.createElement('li');
    const figure = document.createElement('figure');
    const image = document.createElement('img');
    image.id = `thumb-${output.id}`;
    image.alt = `Output ${output.id}: no picture yet`;
    image.width = 320;
    image.height = Math.max(1, Math.round(320 * output.pixels[1] / output.pixels[0]));
    const caption = document.createElement('figcaption');
    caption.innerHTML = '<strong></strong> <span></span><br><span></span>';
    caption.children[0].textContent = output.id;
    caption.children[1].textContent = `${output.pixels[0]} × ${output.pixels[1]}, ${output.bitDepth}-bit, walls ${output.walls.join(', ')}`;
    caption.children[3].id = `output-figures-${output.id}`;
    figure.append(image, caption);
    item.append(figure);
    outputs.append(item);
  }

  const rules = $('rule-name');
  rules.replaceChildren(...stage.rules.map((rule) => new Option(rule, rule)));
  if (stage.rules.length === 0) {
    $('world-none').hidden = false;
    $('world-parts').hidden = true;
  }
  drawWalls(stage);
}

// ---- the map --------------------------------------------------------------------------------

function element(name, attributes) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

function drawWalls(stage) {
  const group = $('map-walls');
  group.replaceChildren();
  let minX = Infinity, maxX = -Infinity, minZ = Infinity, maxZ = -Infinity;
  for (const wall of stage.walls) {
    const points = wall.pointsXZ.map(([x, z]) => `${x},${z}`).join(' ');
    const shape = element(wall.closed ? 'polygon' : 'polyline', { points, class: wall.closed ? 'ceiling' : 'wall', 'stroke-width': 0.08 });
    const title = element('title', {});
    title.textContent = `Wall ${wall.id} (${wall.kind}, ${fixed(wall.widthM, 1)} × ${fixed(wall.heightM, 1)} m)`;
    shape.append(title);
    group.append(shape);
    for (const [x, z] of wall.pointsXZ) {
      minX = Math.min(minX, x); maxX = Math.max(maxX, x); minZ = Math.min(minZ, z); maxZ = Math.max(maxZ, z);
    }
    const [lx, lz] = wall.pointsXZ[Math.floor(wall.pointsXZ.length / 2)];
    const label = element('text', { x: lx, y: lz - 0.15, 'font-size': 0.3, 'text-anchor': 'middle' });
    label.textContent = wall.id;
    group.append(label);
  }
  if (!Number.isFinite(minX)) { minX = -5; maxX = 5; minZ = -5; maxZ = 5; }
  // Room in front of the walls for the cameras (they stand toward +Z).
  maxZ = Math.max(maxZ, minZ + Math.max(4, maxX - minX));
  page.mapBox = { minX: minX - 1, minZ: minZ - 1, width: maxX - minX + 2, height: maxZ - minZ + 2 };
  setViewBox();
}

function setViewBox() {
  const box = page.mapBox;
  $('map').setAttribute('viewBox', `${box.minX} ${box.minZ} ${box.width} ${box.height}`);
}

// Every camera stays on the map: the view grows to take in one outside it (never shrinks, so it does not jump about).
function include(x, z) {
  const box = page.mapBox;
  // Cameras only, and within 50 m: a stage keeps its scale (entities off the map are drawn at its edge instead).
  if (!box || !Number.isFinite(x) || !Number.isFinite(z) || Math.abs(x) > 50 || Math.abs(z) > 50) return;
  const margin = 0.5;
  const minX = Math.min(box.minX, x - margin), minZ = Math.min(box.minZ, z - margin);
  const maxX = Math.max(box.minX + box.width, x + margin), maxZ = Math.max(box.minZ + box.height, z + margin);
  if (minX === box.minX && minZ === box.minZ && maxX === box.minX + box.width && maxZ === box.minZ + box.height) return;
  page.mapBox = { minX, minZ, width: maxX - minX, height: maxZ - minZ };
  setViewBox();
}

function drawCameras(cameras) {
  const group = $('map-cameras');
  group.replaceChildren();
  const reach = Math.max(page.mapBox?.width ?? 10, page.mapBox?.height ?? 10);
  for (const camera of cameras) {
    if (!camera.positionM) continue;
    const config = page.stage.cameras.find((c) => c.id === camera.id);
    const [x, , z] = camera.positionM;
    include(x, z);
    const pan = camera.panTiltRollDeg[0] * Math.PI / 180;
    const focal = camera.focalLengthMm ?? config.focalLengthMm;
    // The inner frustum: the lens's view widened by the overscan on each side.
    const half = Math.atan((config.sensorMm[0] / 2) * (1 + config.overscanPercent / 100) / focal);
    const ray = (angle) => [x + Math.sin(pan + angle) * reach, z - Math.cos(pan + angle) * reach];
    const [ax, az] = ray(-half);
    const [bx, bz] = ray(half);
    const frustum = element('polygon', { points: `${x},${z} ${ax},${az} ${bx},${bz}`, class: 'frustum', 'stroke-width': 0.03 });
    const size = 0.25;
    const tip = [x + Math.sin(pan) * size * 1.4, z - Math.cos(pan) * size * 1.4];
    const left = [x + Math.sin(pan - 2.4) * size, z - Math.cos(pan - 2.4) * size];
    const right = [x + Math.sin(pan + 2.4) * size, z - Math.cos(pan + 2.4) * size];
    const marker = element('polygon', { points: `${tip} ${left} ${right}`, class: 'camera', 'data-state': camera.status });
    const title = element('title', {});
    title.textContent = `Camera ${camera.id} (${camera.status}) at x ${fixed(x, 2)} z ${fixed(z, 2)} m, pan ${fixed(camera.panTiltRollDeg[0], 1)}°`;
    marker.append(title);
    const label = element('text', { x: x + 0.3, y: z + 0.3, 'font-size': 0.3 });
    label.textContent = `${camera.id}${camera.status === 'OK' ? '' : ' ' + camera.status}`;
    group.append(frustum, marker, label);
  }
}

function drawEntities(map) {
  const group = $('map-entities');
  group.replaceChildren();
  const labels = map.entities.length <= 12;
  page.offMap = 0;
  for (const entity of map.entities) {
    if (entity.r === null || entity.x === null || entity.z === null) continue; // unbounded (a ground plane): not a place on the map
    const box = page.mapBox;
    const inside = entity.x >= box.minX && entity.x <= box.minX + box.width && entity.z >= box.minZ && entity.z <= box.minZ + box.height;
    const title = element('title', {});
    title.textContent = `${entity.name} (#${entity.id}) at x ${entity.x} y ${entity.y} z ${entity.z} m${inside ? '' : ' (off the map: shown at its edge)'}`;
    if (inside) {
      const circle = element('circle', { cx: entity.x, cy: entity.z, r: Math.max(0.05, entity.r), class: 'entity', 'stroke-width': 0.02 });
      circle.append(title);
      group.append(circle);
    } else {
      // Far from the stage (a ball that flew off): a diamond at the map's edge, in its direction, so the stage keeps its scale.
      const edge = 0.15;
      const cx = Math.min(Math.max(entity.x, box.minX + edge), box.minX + box.width - edge);
      const cz = Math.min(Math.max(entity.z, box.minZ + edge), box.minZ + box.height - edge);
      const diamond = element('polygon', { points: `${cx},${cz - 0.12} ${cx + 0.12},${cz} ${cx},${cz + 0.12} ${cx - 0.12},${cz}`, class: 'entity far', 'stroke-width': 0.02 });
      diamond.append(title);
      group.append(diamond);
      page.offMap++;
      continue;
    }
    if (labels) {
      const label = element('text', { x: entity.x + Math.max(0.05, entity.r) + 0.05, y: entity.z, 'font-size': 0.22 });
      label.textContent = entity.name;
      group.append(label);
    }
  }
  const more = map.total > map.entities.length ? ` (of ${map.total}; the map shows the first ${map.entities.length})` : '';
  const far = page.offMap > 0 ? `, ${page.offMap} of them off the map (diamonds at its edge)` : '';
  text('map-summary', `${page.stage.walls.length} wall(s), ${page.stage.cameras.length} camera(s), ${map.entities.length} entities${more}${far} at world step ${map.step}.`);
  text('world-entities', String(map.total));
}

// ---- live status ----------------------------------------------------------------------------

function render(s) {
  page.statusCount++;
  document.body.dataset.statusCount = String(page.statusCount);
  const now = performance.now();
  page.countWindow.push(now);
  while (page.countWindow.length > 0 && page.countWindow[0] < now - 2000) page.countWindow.shift();
  text('updates', `${(page.countWindow.length / 2).toFixed(1)} per second`);

  const e = s.engine;
  if (!e.started) {
    badge('engine-state', 'connecting', '○', 'The engine has not published yet');
  } else if (e.stalled) {
    badge('engine-state', 'stalled', '✕', `ENGINE NOT RESPONDING: no status for ${(e.statusAgeMs / 1000).toFixed(1)} s`);
  } else {
    badge('engine-state', 'ok', '●', 'Running');
  }
  if (e.started) {
    text('timecode', e.timecode + (e.timecodeSource === 'tracking' ? ' (TC tracking)' : ''));
    text('fps', e.fps === null ? `– of ${e.stageRate} fps` : `${fixed(e.fps, 1)} of ${e.stageRate} fps`);
    text('frame', String(e.frame));
    text('dropped', String(e.dropped));
    text('late', String(e.late));
    text('faulted', String(e.faulted));
    text('frame-ms', pair(e.frameMs, 'ms'));
    text('render-ms', pair(e.renderMs, 'ms'));
    text('latency-ms', pair(e.poseToPresentMs, 'ms'));
    text('pose-age-ms', pair(e.poseAgeMs, 'ms'));
    text('output-name', e.output);
  }

  renderTake(s.take);
  renderCameras(s.cameras);
  renderSources(s.sources);
  renderOutputs(s.outputs);
  renderWorld(s.world);
  if (s.warnings) renderWarnings(s.warnings);
}

function renderTake(take) {
  page.recording = take.recording;
  page.lastTakeId = take.id ?? null;
  const slate = take.scene === undefined ? '–' : `${take.scene}/${take.take}`;
  if (take.recording) badge('rec', 'rec', '●', `REC ${slate}`);
  else badge('rec', 'idle', '■', take.scene === undefined ? 'STANDBY' : `STANDBY (last ${slate}${take.circled ? ' circled' : ''}${take.noGood ? ' NG' : ''})`);
  text('take-slate', slate);
  text('take-state', take.recording ? 'yes — recording' : 'no');
  text('take-start', take.start ?? '–');
  text('take-frames', take.recording ? String(take.frames) : '–');
  if (take.revision !== page.takesRevision) {
    page.takesRevision = take.revision;
    loadTakes(page.takesDay);
  }
}

function renderCameras(cameras) {
  const rows = $('cameras').tBodies[0].rows;
  for (const camera of cameras) {
    const row = [...rows].find((r) => r.dataset.camera === camera.id);
    if (!row) continue;
    const cell = (field) => row.querySelector(`[data-field="${field}"]`);
    const status = cell('status').firstElementChild;
    status.dataset.state = camera.status;
    const shape = camera.status === 'OK' ? '●' : camera.status === 'LOST' ? '✕' : '○';
    status.textContent = `${shape} ${camera.status}`;
    cell('rate').textContent = camera.rateHz === null ? '–' : `${fixed(camera.rateHz, 0)} Hz`;
    cell('age').textContent = camera.poseAgeMs === undefined ? '–' : `${fixed(camera.poseAgeMs, 0)} ms`;
    cell('position').textContent = camera.positionM ? camera.positionM.map((v) => fixed(v, 3)).join(' ') : '–';
    cell('angles').textContent = camera.panTiltRollDeg ? camera.panTiltRollDeg.map((v) => fixed(v, 1)).join(' ') : '–';
    cell('lens').textContent = camera.focalLengthMm === null ? '–' : `${fixed(camera.focalLengthMm, 1)} mm`;
    for (const [field, label] of [['chromaKey', 'Chroma key'], ['markers', 'Markers']]) {
      const button = row.querySelector(`button[data-field="${field}"]`);
      button.setAttribute('aria-pressed', String(camera[field]));
      button.textContent = `${label} ${camera.id}: ${camera[field] ? 'on' : 'off'}`;
    }
  }
  drawCameras(cameras);
}

function renderSources(sources) {
  const list = $('sources');
  if (list.children.length !== sources.length) list.replaceChildren(...sources.map(() => document.createElement('li')));
  sources.forEach((source, i) => {
    const words = `${source.faults > 0 ? '✕ faults: ' : '● '}${source.text} (${source.kind})`;
    if (list.children[i].textContent !== words) list.children[i].textContent = words;
  });
}

function renderOutputs(outputs) {
  for (const output of outputs) {
    const figures = $(`output-figures-${output.id}`);
    if (figures && output.presented !== undefined) {
      figures.textContent = `presented ${output.presented}, late ${output.late}, faulted ${output.faulted}`;
    }
    const t = output.thumbnail;
    if (!t || page.thumbVersions.get(output.id) === t.version) continue;
    page.thumbVersions.set(output.id, t.version);
    const image = $(`thumb-${output.id}`);
    image.src = `/api/thumbnails/${encodeURIComponent(output.id)}?v=${t.version}`;
    image.alt = `Output ${output.id} at frame ${t.frame} (${t.timecode}), ${t.sourceWidth} × ${t.sourceHeight} shown at ${t.width} × ${t.height}`;
    image.dataset.version = String(t.version);
  }
}

function renderWorld(world) {
  if (!world.present) return;
  text('world-step', String(world.step));
  text('world-time', `${fixed(world.timeS, 2)} s at ${world.stepRateHz} Hz`);
  text('world-hash', world.stateHash ? `${world.stateHash} (step ${world.stateHashStep})` : '–');
  if (world.rules) {
    const body = $('rules').tBodies[0];
    const entries = Object.entries(world.rules);
    if (body.rows.length !== entries.length) {
      body.replaceChildren();
      for (const [name] of entries) {
        const row = body.insertRow();
        const header = document.createElement('th');
        header.scope = 'row';
        header.textContent = name;
        row.append(header);
        row.insertCell();
      }
    }
    entries.forEach(([, value], i) => { body.rows[i].cells[1].textContent = String(value); });
  }
  if (world.map) drawEntities(world.map);
}

function renderWarnings(warnings) {
  const list = $('warnings');
  list.replaceChildren();
  for (const warning of [...warnings].reverse()) {
    const item = document.createElement('li');
    const level = document.createElement('span');
    level.className = 'level';
    level.dataset.level = warning.level;
    level.textContent = warning.level.toUpperCase();
    item.append(`${warning.time} `, level, ` ${warning.category}: ${warning.message}`);
    list.append(item);
  }
  $('warnings-none').hidden = warnings.length > 0;
}

// ---- takes of the day -----------------------------------------------------------------------

async function loadTakes(day) {
  const response = await fetch(`/api/takes${day ? `?day=${encodeURIComponent(day)}` : ''}`).catch(() => null);
  if (!response || !response.ok) return;
  const listing = await response.json();
  page.takes = listing.takes;
  page.takesDay = listing.day;
  const days = $('day');
  const wanted = listing.days.includes(listing.day) ? listing.days : [listing.day, ...listing.days];
  days.replaceChildren(...wanted.map((d) => new Option(d, d, false, d === listing.day)));
  $('download-ale').href = `/api/takes/export?format=ale&day=${listing.day}`;
  $('download-csv').href = `/api/takes/export?format=csv&day=${listing.day}`;

  const body = $('takes').tBodies[0];
  body.replaceChildren();
  for (const take of listing.takes) {
    const row = body.insertRow();
    row.dataset.take = String(take.id);
    const name = document.createElement('th');
    name.scope = 'row';
    name.textContent = `${take.scene}/${take.take}`;
    row.append(name);
    for (const value of [take.clip, take.start, take.end, String(take.frames), take.status === 'recording' ? '● REC' : take.status]) {
      row.insertCell().textContent = value;
    }
    const marks = [take.circled ? '◎ circled' : '', take.noGood ? '✕ NG' : ''].filter(Boolean).join(', ');
    row.insertCell().textContent = marks || '–';
    row.insertCell().textContent = take.notes.join(' · ') || '–';
    // The buttons sit in a flex box inside the cell: a flex cell is no longer a table cell.
    const actions = document.createElement('div');
    actions.className = 'row';
    row.insertCell().append(actions);
    actions.append(
      toggle(`Circle ${take.scene}/${take.take}`, take.circled, () => send('/stage/takes/circle', [take.id, take.circled ? 0 : 1])),
      toggle(`NG ${take.scene}/${take.take}`, take.noGood, () => send('/stage/takes/ng', [take.id, take.noGood ? 0 : 1])));
    if (take.hasWorld) {
      const reset = document.createElement('button');
      reset.type = 'button';
      reset.textContent = `Reset world to ${take.scene}/${take.take}`;
      reset.addEventListener('click', () => send('/stage/world/reset', [take.id]));
      actions.append(reset);
    }
    const downloads = document.createElement('div');
    downloads.className = 'row';
    row.insertCell().append(downloads);
    downloads.append(link(`JSON ${take.scene}/${take.take}`, `/api/takes/${take.id}/export?format=json`));
    for (const camera of page.stage.cameras) {
      downloads.append(link(`.chan ${camera.id} ${take.scene}/${take.take}`, `/api/takes/${take.id}/export?format=chan&camera=${encodeURIComponent(camera.id)}`));
    }
  }
  $('takes-empty').hidden = listing.takes.length > 0;
  const choices = listing.takes.slice().reverse().map((t) => new Option(`${t.scene}/${t.take} (id ${t.id})`, String(t.id)));
  $('takes-note-take').replaceChildren(...choices);
  $('reset-take').replaceChildren(...listing.takes.filter((t) => t.hasWorld).reverse().map((t) => new Option(`${t.scene}/${t.take} (id ${t.id})`, String(t.id))));
}

function toggle(label, pressed, action) {
  const button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('aria-pressed', String(pressed));
  button.textContent = label;
  button.addEventListener('click', action);
  return button;
}

function link(label, href) {
  const a = document.createElement('a');
  a.className = 'button';
  a.href = href;
  a.download = '';
  a.textContent = label;
  return a;
}

// ---- wiring ---------------------------------------------------------------------------------

function connect() {
  const events = new EventSource('/api/events');
  events.addEventListener('open', () => badge('link', 'live', '●', 'Live'));
  events.addEventListener('error', () => badge('link', 'down', '✕', 'Connection lost — reconnecting…'));
  events.addEventListener('status', (event) => {
    badge('link', 'live', '●', 'Live');
    render(JSON.parse(event.data));
  });
}

function wire() {
  $('unlock-form').addEventListener('submit', (event) => {
    event.preventDefault();
    unlock($('token').value.trim());
    $('token').value = '';
  });
  $('lock').addEventListener('click', () => {
    page.token = '';
    sessionStorage.removeItem('stageToken');
    setLocked(true);
    showReply(true, 'Controls locked.');
  });
  $('take-start-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const slate = $('slate').value.trim();
    send('/stage/take/start', slate ? [slate] : []);
  });
  $('take-stop').addEventListener('click', () => send('/stage/take/stop'));
  $('take-circle').addEventListener('click', () => send('/stage/take/circle'));
  $('take-ng').addEventListener('click', () => send('/stage/take/ng'));
  $('take-note-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if ($('note').value.trim() && await send('/stage/take/note', [$('note').value.trim()])) $('note').value = '';
  });
  $('rule-form').addEventListener('submit', (event) => {
    event.preventDefault();
    send('/stage/world/rule', [$('rule-name').value, Number($('rule-value').value)]);
  });
  $('reset-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const take = $('reset-take').value;
    send('/stage/world/reset', take ? [Number(take)] : []);
  });
  $('takes-note-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const take = $('takes-note-take').value;
    const note = $('takes-note').value.trim();
    if (take && note && await send('/stage/takes/note', [Number(take), note])) $('takes-note').value = '';
  });
  $('day').addEventListener('change', () => loadTakes($('day').value));
}

async function start() {
  wire();
  setLocked(true);
  const response = await fetch('/api/stage');
  buildStage(await response.json());
  connect();
  const token = readTokenFromAddress() || sessionStorage.getItem('stageToken') || '';
  if (token) await unlock(token);
}

start();
