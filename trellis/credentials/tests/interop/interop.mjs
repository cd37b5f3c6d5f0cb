// stdin: {"action": "sign"|"verify", "contexts": {url: path}, "credential": {...}}
// stdout: {"signed": {...}} or {"verified": bool, "errors": [...]}
import {makeLoader, didKeyPair, sign, verify} from './di_stack.mjs';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const loader = makeLoader(request.contexts);
let answer;
if (request.action === 'sign') {
  const keyPair = await didKeyPair();
  answer = {signed: await sign(request.credential, keyPair, loader, request.created)};
} else {
  answer = await verify(request.credential, loader);
}
process.stdout.write(JSON.stringify(answer));
