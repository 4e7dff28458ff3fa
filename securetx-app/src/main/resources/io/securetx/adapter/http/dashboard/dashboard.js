// The securetx dashboard: polls /dashboard/api/overview and fills the page with textContent only
// (no HTML from data ever reaches the DOM). Polling pauses while the tab is hidden.
(function () {
  'use strict';
  var PERIOD_MS = 3000;
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var hasTasks = document.querySelector('meta[name="securetx-tasks"]').content === 'present';
  var timer = null;
  var inFlight = false;
  var pending = null;

  function $(id) { return document.getElementById(id); }

  function text(id, value) { $(id).textContent = value === null || value === undefined ? '–' : String(value); }

  function time(iso) {
    if (!iso) { return '–'; }
    var d = new Date(iso);
    return isNaN(d.getTime()) ? iso : d.toLocaleString();
  }

  function cell(row, value, cls) {
    var td = document.createElement('td');
    td.textContent = value === null || value === undefined ? '–' : String(value);
    if (cls) { td.className = cls; }
    row.appendChild(td);
    return td;
  }

  function stateBadge(row, state) {
    var td = document.createElement('td');
    var span = document.createElement('span');
    span.className = 'state state-' + state;
    span.textContent = state;
    td.appendChild(span);
    row.appendChild(td);
  }

  function fill(id, items, render, emptyText, columns) {
    var body = $(id);
    body.replaceChildren();
    if (items.length === 0) {
      var row = document.createElement('tr');
      var td = cell(row, emptyText, 'muted');
      td.colSpan = columns;
      body.appendChild(row);
      return;
    }
    items.forEach(function (item) {
      var row = document.createElement('tr');
      render(row, item);
      body.appendChild(row);
    });
  }

  function counts(id, map) {
    var dl = $(id);
    dl.replaceChildren();
    var keys = Object.keys(map);
    if (keys.length === 0) {
      var dt = document.createElement('dt');
      dt.textContent = 'no tasks yet';
      dl.appendChild(dt);
      return;
    }
    keys.forEach(function (k) {
      var dt = document.createElement('dt');
      dt.textContent = k;
      var dd = document.createElement('dd');
      dd.textContent = String(map[k]);
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
  }

  function showError(message) {
    var el = $('error');
    el.textContent = message || '';
    el.classList.toggle('hidden', !message);
  }

  function render(data) {
    var v = data.vault;
    text('vault-entries', v.entries);
    text('vault-head', v.head_hash_prefix ? v.head_hash_prefix + '…' : '–');
    text('vault-checkpoint', v.last_checkpoint_seq ? 'seq ' + v.last_checkpoint_seq + ', ' + time(v.last_checkpoint_at) : 'none yet');
    var ver = $('vault-verification');
    if (v.verifying) {
      ver.textContent = 'running…';
      ver.className = '';
    } else if (v.verification) {
      ver.textContent = v.verification.status + ' at ' + time(v.verification.at)
        + (v.verification.entries !== null
          ? ' (' + v.verification.entries + (v.verification.entries === 1 ? ' entry)' : ' entries)')
          : ': ' + v.verification.detail);
      ver.className = 'status-' + v.verification.status;
    } else {
      ver.textContent = 'never (since this server started)';
      ver.className = 'muted';
    }
    fill('transactions', data.transactions, function (row, tx) {
      cell(row, tx.tx_id, 'id');
      cell(row, tx.user, 'mono');
      cell(row, tx.amount, 'num');
      cell(row, tx.currency);
      cell(row, time(tx.created_at));
    }, 'no transactions yet', 5);
    var problems = [];
    if (data.transactions_error) { problems.push(data.transactions_error); }
    if (data.tasks_error) { problems.push(data.tasks_error); }
    showError(problems.join(' · '));
    var t = data.tasks;
    if (t) {
      var queues = Object.keys(t.queues).map(function (q) { return [q, t.queues[q]]; });
      fill('queues', queues, function (row, q) { cell(row, q[0]); cell(row, q[1], 'num'); }, 'no messages waiting', 2);
      text('scheduled', t.scheduled);
      text('in-flight', t.in_flight);
      text('dead', t.dead);
      counts('states', t.states);
      fill('workers', t.workers, function (row, w) {
        cell(row, w.id, 'id');
        cell(row, w.host);
        cell(row, w.pid, 'num');
        cell(row, w.concurrency, 'num');
        cell(row, w.queues);
        cell(row, time(w.started_at));
      }, 'no live workers', 6);
      fill('recent-tasks', t.recent, function (row, task) {
        cell(row, task.id, 'id');
        cell(row, task.name);
        stateBadge(row, task.state);
        cell(row, time(task.submitted_at));
        cell(row, task.done_at ? time(task.done_at) : (task.error_type || '–'));
      }, 'no tasks sent from this server yet', 5);
    }
    text('updated', 'updated ' + new Date().toLocaleTimeString());
  }

  // A hidden tab neither asks nor draws: a refresh still on its way when the tab hides is aborted.
  function refresh() {
    if (inFlight || document.hidden) { return Promise.resolve(); }
    inFlight = true;
    pending = new AbortController();
    return fetch('/dashboard/api/overview', {
      credentials: 'same-origin', headers: { 'Accept': 'application/json' }, signal: pending.signal
    })
      .then(function (response) {
        if (response.status === 401) { window.location.reload(); return null; }
        if (!response.ok) { throw new Error('the server answered ' + response.status); }
        return response.json();
      })
      .then(function (data) { if (data && !document.hidden) { render(data); } })
      .catch(function (e) { if (e.name !== 'AbortError') { showError('Cannot refresh: ' + e.message); } })
      .finally(function () { inFlight = false; pending = null; });
  }

  function schedule() {
    stop();
    timer = window.setInterval(refresh, PERIOD_MS);
  }

  function stop() {
    if (timer !== null) { window.clearInterval(timer); timer = null; }
  }

  function post(path, body) {
    return fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (response.status === 401) { window.location.reload(); }
        if (!response.ok) { throw new Error(json.detail || ('the server answered ' + response.status)); }
        return json;
      });
    });
  }

  $('verify').addEventListener('click', function () {
    var button = $('verify');
    button.disabled = true;
    text('vault-verification', 'running…');
    post('/dashboard/api/verify', {})
      .catch(function (e) { showError('Verify: ' + e.message); })
      .finally(function () { button.disabled = false; refresh(); });
  });

  $('send-task').addEventListener('submit', function (event) {
    event.preventDefault();
    var args;
    try {
      args = JSON.parse($('task-args').value || '[]');
    } catch (e) {
      text('send-result', 'args is not JSON');
      return;
    }
    $('send').disabled = true;
    post('/dashboard/api/tasks', { name: $('task-name').value, args: args })
      .then(function (sent) { text('send-result', 'sent ' + sent.id); })
      .catch(function (e) { text('send-result', e.message); })
      .finally(function () { $('send').disabled = false; refresh(); });
  });

  document.addEventListener('visibilitychange', function () {
    if (document.hidden) {
      stop();
      if (pending !== null) { pending.abort(); }
      text('updated', 'paused while the tab is hidden');
    } else {
      refresh();
      schedule();
    }
  });

  if (!hasTasks) {
    document.querySelectorAll('.tasks-panel').forEach(function (el) { el.classList.add('hidden'); });
    $('no-tasks').classList.remove('hidden');
  }
  refresh();
  if (!document.hidden) { schedule(); }
})();
