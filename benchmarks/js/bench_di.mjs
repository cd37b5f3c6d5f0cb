// eddsa-rdfc-2022 sign+verify per second with the digitalbazaar stack (offline).
// stdin: {"contexts": {url: path}, "credential": {...}, "iterations": N, "warmup": N}
// stdout: {"ops_per_second": float, "iterations": N}
import {makeLoader, didKeyPair, sign, verify} from
  '../../trellis/credentials/tests/interop/di_stack.mjs';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const loader = makeLoader(request.contexts);
const keyPair = await didKeyPair();
const credential = {...request.credential,
  issuer: {...request.credential.issuer, id: keyPair.controller}};

async function once() {
  const signed = await sign(credential, keyPair, loader, '2024-01-01T00:00:00Z');
  const result = await verify(signed, loader);
  if (!result.verified) throw new Error(`verification failed: ${result.errors.join('; ')}`);
}
for (let i = 0; i < request.warmup; i++) await once();
const started = process.hrtime.bigint();
for (let i = 0; i < request.iterations; i++) await once();
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(JSON.stringify({ops_per_second: request.iterations / seconds,
  iterations: request.iterations}));
