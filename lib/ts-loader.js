// Compiles TypeScript on require with esbuild, for cdktf.json's `app` command; faster than esbuild-register:
// - Node's source-map support stays off: every cdktf module carries an inline source map, and parsing
//   them all costs more than the rest of a synth. Run with NODE_OPTIONS=--enable-source-maps for TS lines.
// - Compiled files are cached by content, so a synth with unchanged sources never starts esbuild.
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const CACHE_DIR = path.join(__dirname, '..', 'node_modules', '.cache', 'mock-payment-workflow', 'ts');
const OPTIONS = { loader: 'ts', format: 'cjs', target: 'node20', sourcemap: 'inline' };

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const key = createHash('sha256')
    .update(JSON.stringify([esbuild.version, OPTIONS, filename, source]))
    .digest('hex');
  const cached = path.join(CACHE_DIR, `${key}.js`);
  let code;
  try {
    code = fs.readFileSync(cached, 'utf8');
  } catch {
    code = esbuild.transformSync(source, { ...OPTIONS, sourcefile: filename }).code;
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const temporary = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, code);
    fs.renameSync(temporary, cached);
  }
  module._compile(code, filename);
};
