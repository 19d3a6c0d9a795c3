// `npm start`: set up what is missing, then run the service (control plane) under Node ≥ 22 with the
// embedded defaults and a demo broadcast.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setup, ROOT } from './setup.mjs';

const node = await setup({ apt: ['fonts', 'ffmpeg'], mediasoup: true });
const env = { LINBO_DEMO: '1', ...process.env };
const child = spawn(node, [join(ROOT, 'server', 'main.ts')], { stdio: 'inherit', cwd: ROOT, env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
