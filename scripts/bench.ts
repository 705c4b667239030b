import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { routeConsole } from '../local/function-logs';
import { LocalWorkflowRuntime } from '../local/runtime';
import { ensureSynthesized, PROJECT_ROOT } from '../local/synth';
import { costReport, formatCost } from './cost';

/** The goals of issue "Performance" (and issue 22's for `npm test`), checked by figures, never by timed tests. */
export const GOALS = {
  synthRatioMax: 2.5,
  bundleBytesMax: 8 * 1024,
  testSecondsMax: 120,
  requestsPerStepMax: 1,
  executionsPerSecondMin: 250,
  mutationScoreMin: 85,
  mutateMinutesMax: 30,
} as const;

/** Where `npm run mutate` writes its JSON report (stryker.config.json's `jsonReporter`). */
const MUTATION_REPORT = path.join(PROJECT_ROOT, 'reports', 'mutation', 'mutation.json');

/** What one `npm run mutate` found: Stryker's counts and its score, killed + timed out over all valid mutants. */
export interface MutationFigures {
  readonly minutes: number;
  readonly mutants: number;
  readonly killed: number;
  readonly timedOut: number;
  readonly survived: number;
  readonly noCoverage: number;
  /** Mutants that do not compile (the TypeScript checker), crash the suite or are ignored: not part of the score. */
  readonly invalid: number;
  readonly scorePercent: number;
}

/** Counts the statuses of a Stryker JSON report (mutation-testing-report-schema) and computes its score. */
export function mutationFigures(
  report: { files: Record<string, { mutants: { status: string }[] }> },
  minutes: number,
): MutationFigures {
  const statuses = Object.values(report.files).flatMap((file) => file.mutants.map((mutant) => mutant.status));
  const count = (status: string): number => statuses.filter((s) => s === status).length;
  const detected = count('Killed') + count('Timeout');
  const valid = detected + count('Survived') + count('NoCoverage');
  return {
    minutes,
    mutants: statuses.length,
    killed: count('Killed'),
    timedOut: count('Timeout'),
    survived: count('Survived'),
    noCoverage: count('NoCoverage'),
    invalid: statuses.length - valid,
    scorePercent: valid === 0 ? 0 : Math.floor((detected / valid) * 10000) / 100,
  };
}

/** Runs `npm run mutate` from scratch (`--force`: no result reused from the incremental file) and reads its report. */
function mutationTesting(): MutationFigures {
  const started = Date.now();
  const result = spawnSync('npm', ['run', '--silent', 'mutate', '--', '--force'], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const minutes = round((Date.now() - started) / 60_000);
  if (!fs.existsSync(MUTATION_REPORT))
    throw new Error(`npm run mutate exited with ${result.status} and wrote no ${MUTATION_REPORT}`);
  return mutationFigures(JSON.parse(fs.readFileSync(MUTATION_REPORT, 'utf8')), minutes);
}

interface Timing {
  readonly minMs: number;
  readonly medianMs: number;
  readonly maxMs: number;
  readonly runs: number;
}

/** Times a shell command `runs` times, after one warm-up run (file cache, esbuild's service binary). */
function time(command: string, runs: number, env: Record<string, string> = {}): Timing {
  const samples: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, {
      cwd: PROJECT_ROOT,
      shell: true,
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) throw new Error(`\`${command}\` exited with ${result.status}: ${result.stderr}`);
    if (i > 0) samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  return {
    minMs: round(samples[0]),
    medianMs: round(samples[Math.floor(samples.length / 2)]),
    maxMs: round(samples[samples.length - 1]),
    runs,
  };
}

/**
 * Times `npm test` once on a fresh clone of HEAD (committed files only): no cdktf.out, and, the clone
 * being a new path, no transform cache of jest's that applies to it. The dependencies are linked, not installed.
 */
function freshCloneTest(): Timing {
  const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'mpw-bench-clone-'));
  try {
    const cloned = spawnSync('git', ['clone', '--quiet', '--no-hardlinks', PROJECT_ROOT, clone], { encoding: 'utf8' });
    if (cloned.status !== 0) throw new Error(`git clone exited with ${cloned.status}: ${cloned.stderr}`);
    fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(clone, 'node_modules'));
    const started = process.hrtime.bigint();
    const result = spawnSync('npm', ['test', '--silent'], { cwd: clone, encoding: 'utf8' });
    const ms = round(Number(process.hrtime.bigint() - started) / 1e6);
    if (result.status !== 0) throw new Error(`npm test exited with ${result.status}: ${result.stderr.slice(-2000)}`);
    return { minMs: ms, medianMs: ms, maxMs: ms, runs: 1 };
  } finally {
    fs.rmSync(clone, { recursive: true, force: true });
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** The bundles a synthesis wrote, by function folder, with their sizes. */
function bundleSizes(outdir: string): Record<string, number> {
  const assets = path.join(outdir, 'stacks', 'mock-payment-workflow', 'assets');
  const sizes: Record<string, number> = {};
  for (const folder of fs.readdirSync(assets)) {
    const name = folder.replace(/^payment-workflow_/, '').replace(/_bundle_[0-9A-F]+$/, '');
    const [hash] = fs.readdirSync(path.join(assets, folder));
    sizes[name] = fs.statSync(path.join(assets, folder, hash, 'index.js')).size;
  }
  return sizes;
}

/** DynamoDB requests per workflow step on the happy path, counted by the local engine. */
async function requestsPerStep(
  outdir: string,
  executions: number,
): Promise<{ perStep: number; byOperation: Record<string, number> }> {
  const restoreConsole = routeConsole(() => true);
  const runtime = await LocalWorkflowRuntime.start({ outdir });
  try {
    const before = { ...runtime.engine.requests };
    for (let i = 0; i < executions; i++) await runtime.execute({ orderId: `bench-${i}` });
    const byOperation: Record<string, number> = {};
    for (const [operation, n] of Object.entries(runtime.engine.requests)) {
      if (n > (before[operation] ?? 0)) byOperation[operation] = n - (before[operation] ?? 0);
    }
    const total = Object.values(byOperation).reduce((sum, n) => sum + n, 0);
    return { perStep: round(total / (executions * runtime.happyPath.length)), byOperation };
  } finally {
    await runtime.close();
    restoreConsole();
  }
}

/** Runs `npm start -- --count N --json` and reads its summary. */
function localThroughput(count: number): {
  executionsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  succeeded: number;
} {
  const result = spawnSync('npm', ['start', '--silent', '--', '--count', String(count), '--json'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`npm start exited with ${result.status}: ${result.stderr}`);
  const { summary } = JSON.parse(result.stdout);
  return {
    executionsPerSecond: summary.executionsPerSecond,
    p50Ms: summary.p50Ms,
    p99Ms: summary.p99Ms,
    succeeded: summary.succeeded,
  };
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { runs: { type: 'string' }, 'skip-tests': { type: 'boolean' }, mutate: { type: 'boolean' } },
  });
  const runs = Number(values.runs ?? 5);
  const scratch = fs.mkdtempSync(path.join(PROJECT_ROOT, 'cdktf.out.bench-'));
  try {
    const { app } = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'cdktf.json'), 'utf8'));
    process.stdout.write(`Benchmarking on ${os.cpus().length} cores, Node ${process.version} (${runs} runs each)...\n`);
    const bare = time(
      `node -e "const { App } = require('cdktf'); new App({ outdir: '${path.join(scratch, 'bare')}' }).synth()"`,
      runs,
    );
    const appTiming = time(app, runs, { CDKTF_OUTDIR: path.join(scratch, 'app') });
    const cli = time(`npx cdktf synth --output ${path.join(scratch, 'cli')}`, Math.min(runs, 2), {
      CHECKPOINT_DISABLE: '1',
    });
    const sizes = bundleSizes(path.join(scratch, 'app'));
    const requests = await requestsPerStep(ensureSynthesized().outdir, 100);
    const local = localThroughput(1000);
    const cost = await costReport(200);
    const tests = values['skip-tests'] ? undefined : freshCloneTest();
    const load = os.loadavg().map(round);
    const mutation = values.mutate ? mutationTesting() : undefined;
    const results = {
      measuredAt: new Date().toISOString(),
      machine: {
        cores: os.cpus().length,
        cpu: os.cpus()[0]?.model,
        node: process.version,
        platform: `${os.platform()} ${os.arch()}`,
        loadAverage: load,
      },
      synth: { bareApp: bare, app: appTiming, ratio: round(appTiming.medianMs / bare.medianMs), cdktfSynthCli: cli },
      bundleBytes: sizes,
      dynamodb: { requestsPerStep: requests.perStep, requestsBy100Executions: requests.byOperation },
      local,
      cost: {
        usdPerMillionOrders: {
          STANDARD: cost.tables.STANDARD.totalUsdPerMillion,
          EXPRESS: cost.tables.EXPRESS.totalUsdPerMillion,
        },
        dominant: { STANDARD: cost.tables.STANDARD.dominant.item, EXPRESS: cost.tables.EXPRESS.dominant.item },
        tables: cost.tables,
        measurement: cost.measurement,
      },
      npmTest: tests ?? null,
      mutation: mutation ?? null,
      goals: GOALS,
    };
    const checks: [string, boolean][] = [
      [
        `app synth ≤ ${GOALS.synthRatioMax}× bare App (${results.synth.ratio}×)`,
        results.synth.ratio <= GOALS.synthRatioMax,
      ],
      [
        `every bundle ≤ ${GOALS.bundleBytesMax} B (largest ${Math.max(...Object.values(sizes))} B)`,
        Object.values(sizes).every((b) => b <= GOALS.bundleBytesMax),
      ],
      [
        `DynamoDB requests per step ≤ ${GOALS.requestsPerStepMax} (${requests.perStep})`,
        requests.perStep <= GOALS.requestsPerStepMax,
      ],
      [
        `local executions/s ≥ ${GOALS.executionsPerSecondMin} (${local.executionsPerSecond})`,
        local.executionsPerSecond >= GOALS.executionsPerSecondMin,
      ],
      ...(tests
        ? [
            [
              `npm test on a fresh clone ≤ ${GOALS.testSecondsMax} s (${round(tests.medianMs / 1000)} s)`,
              tests.medianMs <= GOALS.testSecondsMax * 1000,
            ] as [string, boolean],
          ]
        : []),
      ...(mutation
        ? ([
            [
              `mutation score ≥ ${GOALS.mutationScoreMin}% (${mutation.scorePercent}%)`,
              mutation.scorePercent >= GOALS.mutationScoreMin,
            ],
            [
              `npm run mutate ≤ ${GOALS.mutateMinutesMax} min (${mutation.minutes} min)`,
              mutation.minutes <= GOALS.mutateMinutesMax,
            ],
          ] as [string, boolean][])
        : []),
    ];
    const table = [
      '| measure | min | median | max |',
      '| --- | --- | --- | --- |',
      `| bare cdktf \`new App().synth()\` (ms) | ${bare.minMs} | ${bare.medianMs} | ${bare.maxMs} |`,
      `| this app, \`${app}\` (ms) | ${appTiming.minMs} | ${appTiming.medianMs} | ${appTiming.maxMs} |`,
      `| \`cdktf synth\` CLI (ms) | ${cli.minMs} | ${cli.medianMs} | ${cli.maxMs} |`,
      ...(tests
        ? [`| \`npm test\` on a fresh clone (ms) | ${tests.minMs} | ${tests.medianMs} | ${tests.maxMs} |`]
        : []),
    ].join('\n');
    const other = [
      `- synth ratio (medians): **${results.synth.ratio}×** the bare App`,
      `- bundle sizes (bytes): ${Object.entries(sizes)
        .map(([n, b]) => `${n} ${b}`)
        .join(', ')}`,
      `- DynamoDB requests per step on the happy path: **${requests.perStep}** (100 executions: ${JSON.stringify(requests.byOperation)})`,
      `- \`npm start -- --count 1000\`: **${local.executionsPerSecond} executions/s**, p50 ${local.p50Ms} ms, p99 ${local.p99Ms} ms, ${local.succeeded} succeeded`,
      ...(mutation
        ? [
            `- \`npm run mutate\`: **${mutation.scorePercent}%** mutation score in ${mutation.minutes} min ` +
              `(${mutation.mutants} mutants: ${mutation.killed} killed, ${mutation.timedOut} timed out, ${mutation.survived} survived, ` +
              `${mutation.noCoverage} not covered, ${mutation.invalid} not compiling or crashing)`,
          ]
        : []),
      `- machine: ${results.machine.cores} cores (${results.machine.cpu}), Node ${results.machine.node}, ${results.machine.platform}, load average ${load.join(' ')} after the runs`,
    ].join('\n');
    const verdict = checks.map(([text, ok]) => `- ${ok ? 'met' : 'NOT MET'}: ${text}`).join('\n');
    fs.mkdirSync(path.join(PROJECT_ROOT, 'bench'), { recursive: true });
    fs.writeFileSync(path.join(PROJECT_ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    fs.writeFileSync(
      path.join(PROJECT_ROOT, 'bench', 'README.md'),
      `# Benchmark results\n\nWritten by \`npm run bench\` on ${results.measuredAt}. Raw figures: [results.json](results.json).\n\n` +
        `${table}\n\n${other}\n\n## Cost per million orders (\`npm run cost\`)\n\n${formatCost(cost)}\n\n## Goals\n\n${verdict}\n`,
    );
    process.stdout.write(
      `\n${table}\n\n${other}\n\nGoals:\n${verdict}\n\nWrote bench/results.json and bench/README.md\n`,
    );
    return checks.every(([, ok]) => ok) ? 0 : 1;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (status) => {
      process.exitCode = status;
    },
    (error: Error) => {
      process.stderr.write(`${error.name}: ${error.message}\n`);
      process.exitCode = 1;
    },
  );
}
