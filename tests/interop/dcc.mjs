// Verify credentials with the Digital Credentials Consortium's libraries, and sign one.
// Reads a JSON job on stdin; writes JSON results on stdout. Never touches the network:
// contexts and did:key come from the libraries' static loader, status lists from the job.
import {cryptosuite as eddsaRdfc2022} from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';
import {DataIntegrityProof} from '@digitalcredentials/data-integrity';
import * as Ed25519Multikey from '@digitalcredentials/ed25519-multikey';
import {securityLoader} from '@digitalcredentials/security-document-loader';
import * as vc from '@digitalcredentials/vc';
import {checkStatus} from '@digitalcredentials/vc-bitstring-status-list';

const job = JSON.parse(await new Promise(resolve => {
  let text = '';
  process.stdin.on('data', chunk => (text += chunk));
  process.stdin.on('end', () => resolve(text));
}));

const base = securityLoader({fetchRemoteContexts: false}).build();
const documentLoader = async url => {
  if (job.statusLists && job.statusLists[url]) {
    return {contextUrl: null, documentUrl: url, document: job.statusLists[url]};
  }
  if (url.startsWith('http') && !url.includes('w3.org') && !url.includes('w3id.org') &&
      !url.includes('imsglobal.org')) {
    throw new Error(`offline: ${url}`);
  }
  return base(url);
};
const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});

const results = [];
for (const credential of job.verify || []) {
  const r = await vc.verifyCredential({credential, suite, documentLoader, checkStatus});
  const status = r.statusResult || (r.results && r.results[0] && r.results[0].statusResult);
  results.push({
    verified: r.verified,
    proofVerified: Boolean(r.results && r.results[0] && r.results[0].verified),
    statusVerified: status ? status.verified : null,
    error: r.error ? String(r.error.message || r.error) : null,
    log: r.log || null,
  });
}

let signed = null;
if (job.sign) {
  const key = await Ed25519Multikey.generate();
  const did = `did:key:${key.publicKeyMultibase}`;
  key.controller = did;
  key.id = `${did}#${key.publicKeyMultibase}`;
  const signingSuite = new DataIntegrityProof({signer: key.signer(), cryptosuite: eddsaRdfc2022});
  const credential = {...job.sign, issuer: {...(job.sign.issuer || {}), id: did}};
  signed = await vc.issue({credential, suite: signingSuite, documentLoader});
}
process.stdout.write(JSON.stringify({results, signed}));
