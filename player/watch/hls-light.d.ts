// hls.js ships no typings next to its light build; its API is the full build's, less some controllers.
declare module 'hls.js/light' {
  export { default } from 'hls.js';
}
