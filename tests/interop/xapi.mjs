// Validate xAPI statements with Learning Locker's validator (npm, pinned): reads a JSON array
// of statements on stdin, writes [{valid, warnings}] on stdout. Used by tests/test_lrs_interop.py.
import validation from '@learninglocker/xapi-validation';

const validate = validation.default || validation;
const statements = JSON.parse(await new Promise(resolve => {
  let text = '';
  process.stdin.on('data', chunk => (text += chunk));
  process.stdin.on('end', () => resolve(text));
}));
const out = statements.map(s => {
  const warnings = validate(s);
  return {valid: warnings.length === 0, warnings: warnings.slice(0, 3).map(w => String(w.message || w.constructor?.name || w))};
});
process.stdout.write(JSON.stringify(out));
