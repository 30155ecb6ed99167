/** A file's text, as the build (build/raw-text-plugin.mjs) and Vitest load `?raw` imports. */
declare module '*?raw' {
  const text: string;
  export default text;
}
