// A button that turns something on or off on the server (a heart, a follow): one request at a time,
// drawn from what the server answers, never from what was hoped for.

export interface Toggle<S> {
  /** Replaces the state (another request answered with fresher totals) and redraws. */
  set(next: S): void;
}

export function serverToggle<S>(button: HTMLButtonElement, initial: S, isOn: (s: S) => boolean, send: (on: boolean) => Promise<S>, draw: (s: S) => void): Toggle<S> {
  let state = initial;
  let busy = false;
  const set = (next: S) => {
    state = next;
    button.setAttribute('aria-pressed', String(isOn(state)));
    draw(state);
  };
  button.addEventListener('click', () => {
    if (busy) return;
    busy = true;
    // A failed request leaves the button as it was: the resident taps again.
    send(!isOn(state)).then(set, () => {}).finally(() => (busy = false));
  });
  set(initial);
  return { set };
}
