// The page's initial data, rendered by server/web/console.ts into <script id="boot">.
import type { ConsoleBoot } from '../../server/contracts/console.ts';

const element = document.getElementById('boot');
export const boot: ConsoleBoot = JSON.parse(element?.textContent || 'null') ?? { timezone: 'Asia/Shanghai', publicUrl: location.origin, lang: 'zh-CN' };
