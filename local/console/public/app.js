// The local console's page: plain JavaScript, no build step. Every value from the server (state
// names, order items, errors, inputs and outputs) reaches the page through textContent or
// setAttribute, never as HTML.

(() => {
  const ORDER_ID_PATTERN = /^[A-Za-z0-9_-]+$/;
  const ORDER_ID_MAX_LENGTH = 64;
  /** Rows the executions table shows; older ones stay on the server. */
  const SHOWN_EXECUTIONS = 200;
  const KNOWN_ORDER_ATTRIBUTES = ['status', 'createdAt', 'updatedAt'];
  const DETAIL_LABELS = {
    ExecutionStarted: 'input',
    ExecutionSucceeded: 'output',
    ExecutionFailed: 'cause',
    StateEntered: 'input',
    StateExited: 'output',
    StateFailed: 'cause',
    StateRetried: 'retry',
    StateCaught: 'catch',
  };

  /** How the page writes an alarm's comparison. */
  const COMPARISON_SIGNS = { '>=': '≥', '<=': '≤' };

  const $ = (id) => document.getElementById(id);
  const el = (tag, text, attributes = {}) => {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    return node;
  };

  const view = {
    limits: { maxCount: 200, maxStepDelayMs: 5000, maxBodyBytes: 4096 },
    hashKey: 'orderId',
    stateMachineName: '',
    graph: null,
    /** State name -> the graph's node element. */
    nodes: new Map(),
    markers: {},
    executions: new Map(),
    orders: new Map(),
    selectedId: null,
    detailTimer: null,
    detailRequest: 0,
    finished: [],
    announceTimer: null,
  };

  // ---------------------------------------------------------------- definition and graph

  async function loadDefinition() {
    const response = await fetch('/api/definition', { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`GET /api/definition answered ${response.status}`);
    const info = await response.json();
    view.limits = info.limits;
    view.hashKey = info.hashKey;
    view.graph = info.graph;
    view.stateMachineName = info.stateMachineName;
    $('machine-name').textContent = info.stateMachineName;
    $('table-name').textContent = info.tableName;
    const storage = info.storage === 'memory' ? 'in memory' : `in ${info.storage}`;
    $('setup').textContent =
      `State machine ${info.stateMachineName} (${info.graph.nodes.length} states) from cdktf.out · table ${info.tableName} on dynalite ` +
      `${info.dynamodbEndpoint.replace(/^http:\/\//, '')} (${storage}) · ${info.functions.length} functions in-process · no AWS account`;
    $('count').max = String(info.limits.maxCount);
    $('step-delay').max = String(info.limits.maxStepDelayMs);
    await drawGraph(info.graph);
    renderSelection();
  }

  async function drawGraph(graph) {
    const canvas = $('graph');
    const mermaid = window.mermaid;
    if (!mermaid) {
      canvas.replaceChildren(
        el('p', 'The graph library did not load; the list below shows each state.', { class: 'hint' }),
      );
      return;
    }
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: 'strict',
      theme: 'base',
      fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif',
      themeVariables: {
        primaryColor: '#f1f3f5',
        primaryBorderColor: '#8c959f',
        primaryTextColor: '#1b1f24',
        lineColor: '#57606a',
        fontSize: '15px',
        edgeLabelBackground: '#ffffff',
      },
      flowchart: { htmlLabels: false, useMaxWidth: true, curve: 'basis', nodeSpacing: 30, rankSpacing: 40 },
    });
    const { svg } = await mermaid.render('graph-svg', graph.mermaid);
    // Parsed as SVG, not assigned as HTML; mermaid's strict mode already sanitized the labels.
    const parsed = new DOMParser().parseFromString(svg, 'image/svg+xml').documentElement;
    const drawn = document.importNode(parsed, true);
    drawn.setAttribute('aria-hidden', 'true');
    canvas.replaceChildren(drawn);
    setZoom($('graph-zoom').getAttribute('aria-pressed') === 'true');
    const byId = new Map(graph.nodes.map((node) => [node.id, node]));
    view.nodes.clear();
    for (const group of drawn.querySelectorAll('g.node')) {
      const id = /-flowchart-(.+)-\d+$/.exec(group.id)?.[1];
      if (id === 'start' || id === 'finish') {
        view.markers[id] = group;
        group.setAttribute('data-status', 'pending');
        continue;
      }
      const node = byId.get(id);
      if (!node) continue;
      group.setAttribute('data-state', node.state);
      group.setAttribute('data-type', node.type);
      group.setAttribute('data-status', 'pending');
      view.nodes.set(node.state, group);
    }
  }

  /** Fit the graph to its box (default), or draw it at its actual size and let the box scroll. */
  function setZoom(actual) {
    $('graph-zoom').setAttribute('aria-pressed', String(actual));
    $('graph').classList.toggle('actual-size', actual);
    const svg = $('graph').querySelector('svg');
    if (svg) svg.style.width = actual && svg.viewBox.baseVal ? `${Math.ceil(svg.viewBox.baseVal.width)}px` : '';
    if (actual) {
      // Bring the state that runs now (or the start) into the box, not its empty corner.
      const active =
        $('graph').querySelector('g.node[data-status="running"], g.node[data-status="retried"]') ?? view.markers.start;
      active?.scrollIntoView({ block: 'nearest', inline: 'center' });
    }
  }

  // ---------------------------------------------------------------- selection: graph colours, state list, history

  function select(id, { focusHistory = false } = {}) {
    view.selectedId = id;
    for (const row of document.querySelectorAll('#executions tbody tr')) {
      row.setAttribute('aria-current', row.dataset.executionId === id ? 'true' : 'false');
    }
    renderSelection();
    scheduleDetail(0);
    if (focusHistory) $('history-title').focus();
  }

  function renderSelection() {
    const execution = view.selectedId ? view.executions.get(view.selectedId) : undefined;
    const states = execution ? execution.states : {};
    if (execution) {
      const parts = [`${execution.id} · order ${execution.orderId} · ${execution.status}`];
      if (execution.durationMs !== undefined) parts.push(`in ${duration(execution.durationMs)}`);
      parts.push(`${execution.retries} ${execution.retries === 1 ? 'retry' : 'retries'}`);
      if (execution.error) parts.push(execution.error);
      $('selected').textContent = parts.join(' · ');
    }
    renderSelectedOrder();
    for (const [name, group] of view.nodes) setNodeStatus(group, name, states[name] ?? 'pending');
    if (view.markers.start) setNodeStatus(view.markers.start, 'Start', execution ? 'succeeded' : 'pending');
    if (view.markers.finish) {
      const end = !execution
        ? 'pending'
        : execution.status === 'SUCCEEDED'
          ? 'succeeded'
          : execution.status === 'FAILED'
            ? 'failed'
            : 'pending';
      setNodeStatus(view.markers.finish, 'End', end);
    }
    const list = $('state-list');
    const items = (view.graph ? view.graph.nodes : []).map((node) => {
      const status = states[node.state] ?? 'pending';
      const item = el('li', null, { 'data-state': node.state, 'data-status': status });
      item.append(
        el('span', status, { class: 'badge', 'data-status': status }),
        el('span', node.state, { class: 'state-name' }),
        el('span', node.type, { class: 'subtle' }),
      );
      return item;
    });
    list.replaceChildren(...items);
  }

  /** The selected execution's order as the table holds it now: created, hold, paid as it happens. */
  function renderSelectedOrder() {
    const execution = view.selectedId ? view.executions.get(view.selectedId) : undefined;
    const line = $('selected-order');
    if (!execution) {
      line.replaceChildren();
      return;
    }
    const item = view.orders.get(execution.orderId);
    if (!item) {
      line.textContent = `Order ${execution.orderId} is not in the table.`;
      return;
    }
    line.replaceChildren(
      document.createTextNode(`Order ${execution.orderId} in table ${$('table-name').textContent}: status `),
      el('strong', item.status ?? '(none)'),
      document.createTextNode(item.updatedAt ? `, updated ${item.updatedAt}` : ''),
    );
  }

  function setNodeStatus(group, name, status) {
    if (group.getAttribute('data-status') === status) return;
    group.setAttribute('data-status', status);
    let title = group.querySelector(':scope > title');
    if (!title) {
      title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
      group.prepend(title);
    }
    title.textContent = `${name}: ${status}`;
  }

  function scheduleDetail(delay = 120) {
    clearTimeout(view.detailTimer);
    view.detailTimer = setTimeout(loadDetail, delay);
  }

  async function loadDetail() {
    const id = view.selectedId;
    if (!id) return;
    const request = ++view.detailRequest;
    const response = await fetch(`/api/executions/${encodeURIComponent(id)}`, {
      headers: { Accept: 'application/json' },
    });
    if (request !== view.detailRequest) return;
    if (!response.ok) {
      $('history-summary').textContent = `Execution ${id} is no longer kept by the console.`;
      $('history').replaceChildren();
      return;
    }
    renderHistory(await response.json());
  }

  function renderHistory(detail) {
    const list = $('history');
    // Keep the entries someone opened open across live updates.
    const open = new Set([...list.querySelectorAll('details[open]')].map((d) => d.dataset.index));
    const first = detail.events.length > 0 ? detail.events[0].timestamp : detail.startedAt;
    $('history-summary').textContent =
      `${detail.id}: input ${compact(detail.input)} · ${detail.events.length} events` +
      (detail.status === 'SUCCEEDED'
        ? ` · output ${compact(detail.output)}`
        : detail.status === 'FAILED'
          ? ` · ${detail.error ?? 'failed'}`
          : ' · running');
    const entries = detail.events.map((event, index) => {
      const item = el('li', null, { 'data-type': event.type });
      const line = el('div', null, { class: 'event-line' });
      line.append(
        el('span', `+${event.timestamp - first} ms`, { class: 'event-time' }),
        el('span', event.type, { class: 'event-type' }),
      );
      if (event.state) line.append(el('span', event.state, { class: 'event-state' }));
      if (event.error) line.append(el('span', event.error, { class: 'error-name' }));
      item.append(line);
      if (event.detail !== undefined && event.detail !== null) {
        const details = el('details', null, { 'data-index': index });
        if (open.has(String(index))) details.open = true;
        details.append(
          el('summary', `${DETAIL_LABELS[event.type] ?? 'detail'}: ${compact(event.detail)}`),
          el('pre', pretty(event.detail)),
        );
        item.append(details);
      }
      return item;
    });
    list.replaceChildren(...entries);
    const logs = $('logs-panel');
    logs.hidden = detail.logs.length === 0;
    $('logs-count').textContent = `(${detail.logs.length})`;
    $('logs').textContent = detail.logs.join('\n');
  }

  // ---------------------------------------------------------------- executions list

  function upsertExecution(summary, { fromSnapshot = false } = {}) {
    const previous = view.executions.get(summary.id);
    view.executions.set(summary.id, summary);
    const tbody = $('executions').tBodies[0];
    let row = tbody.querySelector(`tr[data-execution-id="${CSS.escape(summary.id)}"]`);
    if (!row) {
      row = executionRow(summary.id);
      if (fromSnapshot) tbody.append(row);
      else tbody.prepend(row);
      while (tbody.rows.length > SHOWN_EXECUTIONS) tbody.deleteRow(-1);
    }
    fillExecutionRow(row, summary);
    if (previous && previous.status === 'RUNNING' && summary.status !== 'RUNNING') finished(summary);
    if (summary.id === view.selectedId) {
      renderSelection();
      scheduleDetail();
    }
    $('executions-empty').hidden = view.executions.size > 0;
    $('execution-count').textContent = `(${view.executions.size})`;
  }

  function executionRow(id) {
    const row = el('tr', null, { 'data-execution-id': id, 'aria-current': 'false' });
    const button = el('button', id, { type: 'button', class: 'link-button' });
    button.addEventListener('click', () => select(id, { focusHistory: false }));
    const first = el('td');
    first.append(button);
    row.append(
      first,
      el('td'),
      el('td', null, { class: 'status-cell' }),
      el('td', null, { class: 'num' }),
      el('td', null, { class: 'num' }),
      el('td', null, { class: 'error-name' }),
    );
    labelCells(row, 'executions');
    return row;
  }

  /** Gives each cell its column's name, which narrow screens show beside the value. */
  function labelCells(row, tableId) {
    const headers = [...$(tableId).tHead.rows[0].cells].map((cell) => cell.textContent);
    [...row.cells].forEach((cell, index) => cell.setAttribute('data-label', headers[index] ?? ''));
  }

  function fillExecutionRow(row, summary) {
    const cells = row.cells;
    cells[0].firstChild.setAttribute(
      'aria-label',
      `Execution ${summary.id}, order ${summary.orderId}, ${summary.status}: show in the graph and history`,
    );
    cells[1].textContent = summary.orderId;
    cells[2].textContent = summary.status;
    cells[2].setAttribute('data-status', summary.status);
    cells[3].textContent = summary.durationMs === undefined ? 'running…' : duration(summary.durationMs);
    cells[4].textContent = String(summary.retries);
    cells[5].textContent = summary.error ?? '';
    row.setAttribute('aria-current', summary.id === view.selectedId ? 'true' : 'false');
  }

  /** Arrow keys move between the executions' buttons; Enter or Space chooses one. */
  function onExecutionKeys(event) {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const buttons = [...document.querySelectorAll('#executions tbody button')];
    const index = buttons.indexOf(document.activeElement);
    if (index < 0) return;
    const next = buttons[index + (event.key === 'ArrowDown' ? 1 : -1)];
    if (next) {
      next.focus();
      event.preventDefault();
    }
  }

  function finished(summary) {
    view.finished.push(summary);
    clearTimeout(view.announceTimer);
    view.announceTimer = setTimeout(() => {
      const done = view.finished.splice(0);
      const failed = done.filter((s) => s.status === 'FAILED').length;
      $('announcer').textContent =
        done.length === 1
          ? `Execution ${done[0].id} for order ${done[0].orderId} ${done[0].status === 'SUCCEEDED' ? 'succeeded' : `failed with ${done[0].error}`}.`
          : `${done.length} executions ended: ${done.length - failed} succeeded, ${failed} failed.`;
    }, 600);
  }

  // ---------------------------------------------------------------- orders table

  function upsertOrder(item, { fromSnapshot = false } = {}) {
    const key = item[view.hashKey];
    if (typeof key !== 'string') return;
    const previous = view.orders.get(key);
    // Reads can cross on the wire: never replace an item by an older one.
    if (previous && String(previous.updatedAt ?? '') > String(item.updatedAt ?? '')) return;
    view.orders.set(key, item);
    const tbody = $('orders').tBodies[0];
    let row = tbody.querySelector(`tr[data-order-id="${CSS.escape(key)}"]`);
    if (!row) {
      row = el('tr', null, { 'data-order-id': key });
      row.append(
        el('th', null, { scope: 'row' }),
        el('td', null, { class: 'status-cell' }),
        el('td', null, { class: 'time' }),
        el('td', null, { class: 'time' }),
        el('td'),
      );
      labelCells(row, 'orders');
      if (fromSnapshot) tbody.append(row);
      else tbody.prepend(row);
    }
    const cells = row.cells;
    cells[0].textContent = key;
    cells[1].textContent = item.status ?? '';
    cells[1].setAttribute('data-status', item.status ?? '');
    cells[2].textContent = item.createdAt ?? '';
    cells[3].textContent = item.updatedAt ?? '';
    cells[4].textContent = Object.entries(item)
      .filter(([name]) => name !== view.hashKey && !KNOWN_ORDER_ATTRIBUTES.includes(name))
      .map(([name, value]) => `${name}=${value}`)
      .join(', ');
    if (!fromSnapshot && (!previous || previous.status !== item.status)) {
      row.classList.remove('flash');
      void row.offsetWidth; // restart the animation
      row.classList.add('flash');
    }
    $('orders-empty').hidden = view.orders.size > 0;
    const selected = view.selectedId ? view.executions.get(view.selectedId) : undefined;
    if (selected && selected.orderId === key) renderSelectedOrder();
  }

  // ---------------------------------------------------------------- alarm strip

  /**
   * One chip per synthesized alarm, in the stack's order, and a line saying which would have fired.
   * The line is the live region: it changes only when an alarm changes state, so a batch of
   * executions is not read out once per execution.
   */
  function renderAlarms(status) {
    const total = status.verdicts.length;
    const firing = status.verdicts.filter((verdict) => verdict.state === 'ALARM');
    const chips = status.verdicts.map((verdict) => {
      const inAlarm = verdict.state === 'ALARM';
      const comparison = `${verdict.value} ${COMPARISON_SIGNS[verdict.comparison] ?? verdict.comparison} ${verdict.threshold}`;
      const state = inAlarm ? `ALARM ${comparison}` : 'OK';
      const chip = el('li', null, {
        class: 'alarm-chip',
        'data-alarm': verdict.name,
        'data-state': verdict.state,
        title: `${verdict.name}: ${state}. ${verdict.description}`,
        'aria-label': inAlarm ? `${verdict.name}: ${state}. ${verdict.description}` : `${verdict.name}: OK`,
      });
      chip.append(
        el('span', shortAlarmName(verdict.name), { class: 'alarm-label' }),
        el('span', state, { class: 'alarm-state' }),
      );
      return chip;
    });
    $('alarm-strip').replaceChildren(...chips);
    const summary =
      firing.length === 0
        ? `None of the ${total} would have fired.`
        : `${firing.length} of ${total} would have fired: ${firing.map((verdict) => shortAlarmName(verdict.name)).join(', ')}.`;
    const line = $('alarm-summary');
    if (line.textContent !== summary) line.textContent = summary;
    line.dataset.state = firing.length === 0 ? 'OK' : 'ALARM';
    const executions = `${status.executions} ${status.executions === 1 ? 'execution' : 'executions'}`;
    $('alarm-scope').textContent =
      `The stack's CloudWatch alarms, from cdktf.out, on this console's ${executions} taken as one period.`;
  }

  /** The alarm's name without the state machine's name, which every alarm of the stack starts with. */
  function shortAlarmName(name) {
    const prefix = `${view.stateMachineName}-`;
    return view.stateMachineName && name.startsWith(prefix) ? name.slice(prefix.length) : name;
  }

  // ---------------------------------------------------------------- live updates

  function connect() {
    const connection = $('connection');
    const source = new EventSource('/api/events');
    source.addEventListener('open', () => {
      connection.dataset.state = 'live';
      connection.textContent = 'Live';
    });
    source.addEventListener('error', () => {
      connection.dataset.state = 'lost';
      connection.textContent = 'Disconnected: retrying…';
    });
    source.addEventListener('snapshot', (message) => {
      const snapshot = JSON.parse(message.data);
      view.executions.clear();
      view.orders.clear();
      $('executions').tBodies[0].replaceChildren();
      $('orders').tBodies[0].replaceChildren();
      const newest = [...snapshot.executions].reverse();
      for (const summary of newest.slice(0, SHOWN_EXECUTIONS)) upsertExecution(summary, { fromSnapshot: true });
      for (const item of snapshot.items) upsertOrder(item, { fromSnapshot: true });
      $('orders-truncated').hidden = !snapshot.truncated;
      renderAlarms(snapshot.alarms);
      $('executions-empty').hidden = view.executions.size > 0;
      $('orders-empty').hidden = view.orders.size > 0;
      if (!view.selectedId && newest.length > 0) select(newest[0].id);
      else if (view.selectedId) select(view.selectedId);
      connection.dataset.state = 'live';
      connection.textContent = 'Live';
    });
    source.addEventListener('execution', (message) => upsertExecution(JSON.parse(message.data)));
    source.addEventListener('order', (message) => upsertOrder(JSON.parse(message.data)));
    source.addEventListener('alarms', (message) => renderAlarms(JSON.parse(message.data)));
  }

  // ---------------------------------------------------------------- the start form

  const fields = {
    orderId: { input: () => $('order-id'), error: () => $('order-id-error') },
    count: { input: () => $('count'), error: () => $('count-error') },
    faultRate: { input: () => $('fault-rate'), error: () => $('fault-rate-error') },
    stepDelayMs: { input: () => $('step-delay'), error: () => $('step-delay-error') },
  };

  /** The page's own check, the same rules as the server's (which checks again). */
  function readForm() {
    const orderId = $('order-id').value;
    const count = numberField('count');
    const faultRate = numberField('fault-rate');
    const stepDelayMs = numberField('step-delay');
    if (orderId.length < 1 || orderId.length > ORDER_ID_MAX_LENGTH) {
      return invalid(
        'orderId',
        'InvalidOrderInput',
        `Invalid order input: expected orderId of 1 to ${ORDER_ID_MAX_LENGTH} characters, received ${orderId.length} characters.`,
      );
    }
    if (!ORDER_ID_PATTERN.test(orderId)) {
      return invalid(
        'orderId',
        'InvalidOrderInput',
        `Invalid order input: expected orderId of only A-Z a-z 0-9 _ -, received ${JSON.stringify(orderId.slice(0, 40))}.`,
      );
    }
    if (!Number.isInteger(count) || count < 1 || count > view.limits.maxCount) {
      return invalid('count', 'InvalidRequest', `count must be a whole number from 1 to ${view.limits.maxCount}.`);
    }
    const width = Math.max(4, String(count).length);
    if (count > 1 && orderId.length + 1 + width > ORDER_ID_MAX_LENGTH) {
      return invalid(
        'orderId',
        'InvalidOrderInput',
        `Invalid order input: expected orderId of 1 to ${ORDER_ID_MAX_LENGTH - 1 - width} characters with count ${count}, received ${orderId.length} characters.`,
      );
    }
    if (!Number.isFinite(faultRate) || faultRate < 0 || faultRate >= 1) {
      return invalid('faultRate', 'InvalidRequest', 'faultRate must be a number with 0 <= faultRate < 1.');
    }
    if (!Number.isInteger(stepDelayMs) || stepDelayMs < 0 || stepDelayMs > view.limits.maxStepDelayMs) {
      return invalid(
        'stepDelayMs',
        'InvalidRequest',
        `stepDelayMs must be a whole number from 0 to ${view.limits.maxStepDelayMs}.`,
      );
    }
    return { body: { orderId, count, faultRate, stepDelayMs } };
  }

  function numberField(id) {
    const text = $(id).value.trim();
    return text === '' ? NaN : Number(text);
  }

  function invalid(field, error, message) {
    return { problem: { field, error, message } };
  }

  function clearErrors() {
    for (const field of Object.values(fields)) {
      field.input().removeAttribute('aria-invalid');
      field.error().hidden = true;
      field.error().textContent = '';
    }
    $('form-error').hidden = true;
    $('form-error').replaceChildren();
  }

  /** Shows an error by its name, under its field when it has one, and in the alert. */
  function showProblem({ field, error, message }) {
    const target = fields[field] ?? (error === 'InvalidOrderInput' ? fields.orderId : undefined);
    const text = `${error}: ${message}`;
    if (target) {
      target.input().setAttribute('aria-invalid', 'true');
      target.error().textContent = text;
      target.error().hidden = false;
      target.input().focus();
    }
    const alert = $('form-error');
    alert.replaceChildren(el('strong', error), el('span', message));
    alert.hidden = false;
    $('form-status').textContent = '';
  }

  async function onSubmit(event) {
    event.preventDefault();
    clearErrors();
    const { body, problem } = readForm();
    if (problem) {
      showProblem(problem);
      return;
    }
    const button = $('start-button');
    button.disabled = true;
    $('form-status').textContent = 'Starting…';
    try {
      const response = await fetch('/api/executions', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body),
      });
      const reply = await response
        .json()
        .catch(() => ({ error: 'InvalidResponse', message: `The console answered ${response.status} without JSON.` }));
      if (!response.ok) {
        showProblem({ field: reply.field, error: String(reply.error), message: String(reply.message) });
        return;
      }
      const started = reply.executions;
      for (const summary of started) if (!view.executions.has(summary.id)) upsertExecution(summary);
      $('form-status').textContent =
        started.length === 1
          ? `Started ${started[0].id} for order ${started[0].orderId}.`
          : `Started ${started.length} executions, ${started[0].orderId} to ${started[started.length - 1].orderId}.`;
      select(started[0].id);
    } catch (error) {
      showProblem({
        error: 'ConnectionLost',
        message: `The console did not answer (${error.message}). Is npm run console still running?`,
      });
    } finally {
      button.disabled = false;
    }
  }

  // ---------------------------------------------------------------- formatting

  function duration(ms) {
    return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`;
  }

  function compact(value) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (text === undefined) return '';
    return text.length > 90 ? `${text.slice(0, 90)}…` : text;
  }

  function pretty(value) {
    if (typeof value === 'string') {
      try {
        return JSON.stringify(JSON.parse(value), null, 2);
      } catch {
        return value;
      }
    }
    return JSON.stringify(value, null, 2);
  }

  // ---------------------------------------------------------------- start

  $('start-form').addEventListener('submit', onSubmit);
  $('executions').addEventListener('keydown', onExecutionKeys);
  $('graph-zoom').addEventListener('click', () => setZoom($('graph-zoom').getAttribute('aria-pressed') !== 'true'));
  renderSelection();
  loadDefinition()
    .catch((error) => {
      $('setup').textContent = `Could not load the definition: ${error.message}`;
    })
    .finally(connect);
})();
