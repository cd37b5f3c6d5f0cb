// The digitalbazaar eddsa-rdfc-2022 stack, offline: contexts from the files Python names,
// did:key documents built from the identifier. Read by interop.mjs and benchmarks/js.
import {readFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

const DID_V1 = 'https://www.w3.org/ns/did/v1';
const MULTIKEY_V1 = 'https://w3id.org/security/multikey/v1';

export function makeLoader(contextFiles) {
  const contexts = new Map();
  for (const [url, path] of Object.entries(contextFiles)) {
    contexts.set(url, JSON.parse(readFileSync(path, 'utf8')));
  }
  return async (url) => {
    const base = url.split('#')[0];
    if (contexts.has(base)) {
      return {contextUrl: null, documentUrl: url, document: contexts.get(base)};
    }
    if (base.startsWith('did:key:')) {
      const multikey = base.slice('did:key:'.length);
      const method = {id: `${base}#${multikey}`, type: 'Multikey', controller: base,
        publicKeyMultibase: multikey};
      const document = url.includes('#')
        ? {'@context': MULTIKEY_V1, ...method}
        : {'@context': [DID_V1, MULTIKEY_V1], id: base, verificationMethod: [method],
          assertionMethod: [method.id], authentication: [method.id]};
      return {contextUrl: null, documentUrl: url, document};
    }
    throw new Error(`offline document loader: ${url} is not available`);
  };
}

export async function didKeyPair() {
  const generated = await Ed25519Multikey.generate();
  const multikey = generated.publicKeyMultibase;
  const did = `did:key:${multikey}`;
  const exported = await generated.export({publicKey: true, secretKey: true, includeContext: true});
  return Ed25519Multikey.from({...exported, id: `${did}#${multikey}`, controller: did});
}

export async function sign(credential, keyPair, documentLoader, date) {
  const suite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite, date});
  return vc.issue({credential: structuredClone(credential), suite, documentLoader});
}

export async function verify(credential, documentLoader) {
  const suite = new DataIntegrityProof({cryptosuite});
  const result = await vc.verifyCredential({credential, suite, documentLoader,
    checkStatus: async () => ({verified: true})});
  const errors = [];
  const collect = (e) => { if (e) errors.push(String(e.message || e)); };
  (result.results || []).forEach((r) => collect(r.error));
  collect(result.error);
  return {verified: result.verified, errors};
}
