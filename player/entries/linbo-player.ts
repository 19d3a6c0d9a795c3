// <linbo-player broadcast="ID or watch URL" lang="en">: the embed page in a responsive 16:9 frame for
// sites that prefer an element to an iframe snippet (docs/embed.md). Loaded as a plain script from the
// Linbo server (/linbo-player.js), so it imports nothing. play() and pause() go to the frame as
// postMessage commands; the frame's reports come back as `linbo-state` and `linbo-error` DOM events.

interface EmbedMessage {
  linbo: 'state' | 'error';
  state?: Record<string, unknown>;
  code?: string;
  message?: string;
}

// The server this script came from serves the embed page, whatever site includes it.
const script = document.currentScript as HTMLScriptElement | null;
const LINBO_ORIGIN = script?.src ? new URL(script.src).origin : location.origin;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The embed page for a broadcast id, or for a watch / embed / countdown link to it; null when it is neither. */
function embedUrl(ref: string, lang: string | null): string | null {
  let url: URL;
  if (UUID.test(ref)) url = new URL(`/embed/${ref}`, LINBO_ORIGIN);
  else {
    let link: URL;
    try {
      link = new URL(ref);
    } catch {
      return null;
    }
    const id = /\/(?:watch|embed|countdown)\/([^/?#]+)/.exec(link.pathname)?.[1];
    if ((link.protocol !== 'https:' && link.protocol !== 'http:') || !id) return null;
    url = new URL(`/embed/${id}`, link.origin);
    const linkLang = link.searchParams.get('lang');
    if (linkLang) url.searchParams.set('lang', linkLang);
  }
  if (lang) url.searchParams.set('lang', lang);
  return url.href;
}

const STYLE = ':host{display:block;width:100%}.box{position:relative;width:100%;padding-top:56.25%;background:#000}iframe{position:absolute;top:0;left:0;width:100%;height:100%;border:0}';

class LinboPlayer extends HTMLElement {
  static get observedAttributes(): string[] {
    return ['broadcast', 'lang'];
  }

  #frame: HTMLIFrameElement | null = null;
  #state: Record<string, unknown> | null = null;
  #onMessage = (event: MessageEvent): void => {
    if (!this.#frame || event.source !== this.#frame.contentWindow) return;
    const data = event.data as EmbedMessage | null;
    if (!data || typeof data !== 'object') return;
    if (data.linbo === 'state' && data.state) {
      this.#state = data.state;
      this.dispatchEvent(new CustomEvent('linbo-state', { detail: data.state }));
    } else if (data.linbo === 'error') {
      this.dispatchEvent(new CustomEvent('linbo-error', { detail: { code: data.code, message: data.message } }));
    }
  };

  /** The last state the player reported (null before the first). */
  get state(): Record<string, unknown> | null {
    return this.#state;
  }

  play(): void {
    this.#send('play');
  }

  pause(): void {
    this.#send('pause');
  }

  connectedCallback(): void {
    window.addEventListener('message', this.#onMessage);
    this.#render();
  }

  disconnectedCallback(): void {
    window.removeEventListener('message', this.#onMessage);
  }

  attributeChangedCallback(): void {
    if (this.isConnected) this.#render();
  }

  #send(command: string): void {
    this.#frame?.contentWindow?.postMessage({ linbo: command }, new URL(this.#frame.src).origin);
  }

  #render(): void {
    const src = embedUrl(this.getAttribute('broadcast') ?? '', this.getAttribute('lang'));
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    if (!src) {
      this.#frame = null;
      root.replaceChildren();
      this.dispatchEvent(new CustomEvent('linbo-error', { detail: { code: 'BAD_BROADCAST', message: 'broadcast must be a broadcast id or its watch link' } }));
      return;
    }
    if (this.#frame?.src === src) return;
    const style = document.createElement('style');
    style.textContent = STYLE;
    const frame = document.createElement('iframe');
    frame.src = src;
    frame.title = this.getAttribute('title') || 'Linbo';
    frame.allow = 'autoplay; fullscreen; picture-in-picture';
    frame.setAttribute('allowfullscreen', '');
    const box = document.createElement('div');
    box.className = 'box';
    box.append(frame);
    root.replaceChildren(style, box);
    this.#frame = frame;
  }
}

if (!customElements.get('linbo-player')) customElements.define('linbo-player', LinboPlayer);
