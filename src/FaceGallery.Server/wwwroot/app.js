'use strict';
// A small client for HTTP API v1. Every value from the server is written with textContent, never
// as HTML, because display names and ids are user data.
const $ = (id) => document.getElementById(id);
const keyInput = $('api-key');
keyInput.value = sessionStorage.getItem('facegallery.key') ?? '';
keyInput.addEventListener('change', () => { sessionStorage.setItem('facegallery.key', keyInput.value); refreshAll(); });

let imagesSupported = false;
let nextCursor = null;

async function api(method, path, body) {
  const headers = {};
  if (keyInput.value) headers['X-Api-Key'] = keyInput.value;
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
  const response = await fetch(path, { method, headers, body: payload });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error(data?.detail ?? `${response.status} ${response.statusText}`);
    error.problem = data;
    throw error;
  }
  return data;
}

function show(target, value, isError = false) {
  target.textContent = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  target.classList.toggle('error', isError);
}

function problemText(error) {
  return error.problem?.code ? `${error.problem.code}: ${error.message}` : error.message;
}

function parseEmbeddings(text) {
  if (!text.trim()) return [];
  const parsed = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error('embeddings must be a JSON array');
  return Array.isArray(parsed[0]) || typeof parsed[0] === 'object' ? parsed : [parsed];
}

function row(tbody, cells) {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    if (cell instanceof Node) td.append(cell); else td.textContent = String(cell);
    tr.append(td);
  }
  tbody.append(tr);
  return tr;
}

async function readBase64(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

$('enroll-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const id = $('enroll-id').value.trim();
  const target = $('enroll-result');
  try {
    if ($('enroll-name').value) await api('PUT', `/v1/identities/${encodeURIComponent(id)}`, { displayName: $('enroll-name').value });
    const results = [];
    const embeddings = parseEmbeddings($('enroll-embeddings').value);
    if (embeddings.length) {
      const samples = embeddings.map((e) => Array.isArray(e) ? { embedding: e } : e);
      results.push(await api('POST', `/v1/identities/${encodeURIComponent(id)}/embeddings`, { samples }));
    }
    const photos = $('enroll-photos').files;
    if (imagesSupported && photos.length) {
      const form = new FormData();
      for (const photo of photos) form.append('images', photo);
      results.push(await api('POST', `/v1/identities/${encodeURIComponent(id)}/faces`, form));
    }
    show(target, results.length ? results : 'Nothing to enroll: give embeddings or photos.');
    await loadIdentities(true);
  } catch (error) {
    show(target, problemText(error), true);
  }
});

$('search-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const tbody = $('search-results').tBodies[0];
  tbody.replaceChildren();
  show($('search-error'), '');
  try {
    const body = { k: Number($('search-k').value) || 5 };
    const embeddings = parseEmbeddings($('search-embeddings').value);
    if (embeddings.length) body.embeddings = embeddings.map((e) => Array.isArray(e) ? e : e.embedding);
    const photos = $('search-photos').files;
    if (imagesSupported && photos.length) body.images = await Promise.all([...photos].map(readBase64));
    const result = await api('POST', '/v1/search', body);
    for (const match of result.matches) row(tbody, [match.identityId, match.score.toFixed(4)]);
    if (!result.matches.length) show($('search-error'), 'No match.');
  } catch (error) {
    show($('search-error'), problemText(error), true);
  }
});

async function loadIdentities(reset) {
  const tbody = $('identities').tBodies[0];
  if (reset) { tbody.replaceChildren(); nextCursor = null; }
  const query = new URLSearchParams({ limit: '25' });
  if (nextCursor) query.set('cursor', nextCursor);
  try {
    const page = await api('GET', `/v1/identities?${query}`);
    for (const identity of page.items) {
      const view = document.createElement('button');
      view.textContent = 'view';
      view.addEventListener('click', async () => show($('identity-detail'), await api('GET', `/v1/identities/${encodeURIComponent(identity.id)}`)));
      const remove = document.createElement('button');
      remove.textContent = 'delete';
      remove.addEventListener('click', async () => {
        if (!confirm(`Erase ${identity.id} and all its samples?`)) return;
        await api('DELETE', `/v1/identities/${encodeURIComponent(identity.id)}`);
        await loadIdentities(true);
      });
      const actions = document.createElement('span');
      actions.append(view, ' ', remove);
      row(tbody, [identity.id, identity.displayName ?? '', identity.sampleCount, identity.descriptorVersion, actions]).dataset.id = identity.id;
    }
    nextCursor = page.nextCursor ?? null;
    $('more').hidden = !nextCursor;
  } catch (error) {
    show($('identity-detail'), problemText(error), true);
  }
}

async function loadCluster() {
  const tbody = $('silos').tBodies[0];
  tbody.replaceChildren();
  try {
    const cluster = await api('GET', '/v1/cluster');
    for (const silo of cluster.silos) row(tbody, [silo.address, silo.status, silo.accelerator]);
    show($('models'), await api('GET', '/v1/models'));
  } catch (error) {
    show($('models'), problemText(error), true);
  }
}

// Photo inputs appear only when this server documents the image routes.
async function detectImageSupport() {
  try {
    const document_ = await (await fetch('/openapi/v1.json')).json();
    imagesSupported = Boolean(document_.paths?.['/v1/identities/{id}/faces']);
  } catch { imagesSupported = false; }
  for (const element of document.querySelectorAll('.images-only')) element.hidden = !imagesSupported;
}

function refreshAll() { loadIdentities(true); loadCluster(); }
$('refresh').addEventListener('click', () => loadIdentities(true));
$('more').addEventListener('click', () => loadIdentities(false));
detectImageSupport().then(refreshAll);
