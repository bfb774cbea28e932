/**
 * Import this module (before the code under test) in every jest test that decodes or encodes a
 * WebP or AVIF. jsquash ships ES modules only, and its emscripten glue assigns to
 * `import.meta.url`, which no CommonJS transform can keep (swc leaves the assignment, a syntax
 * error in CommonJS); jest on Node 20 runs CommonJS. So each jsquash module is served to jest as
 * esbuild bundles it into the Lambda: one CommonJS module, `import.meta` an empty object. The
 * modules still load only when the code under test imports them.
 *
 * Not for anything but jest: tsx and the Lambda bundle load jsquash themselves.
 */
import { requireJsquash } from './requireJsquash';

jest.mock('@jsquash/webp/decode.js', () => requireJsquash('@jsquash/webp/decode.js'));
jest.mock('@jsquash/webp/encode.js', () => requireJsquash('@jsquash/webp/encode.js'));
jest.mock('@jsquash/avif/decode.js', () => requireJsquash('@jsquash/avif/decode.js'));
jest.mock('@jsquash/avif/encode.js', () => requireJsquash('@jsquash/avif/encode.js'));
