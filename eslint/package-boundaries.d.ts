/** Types of package-boundaries.js (an ESLint plugin, plain JS so eslint.config.js loads it without a build). */
export declare const ioModules: readonly string[];
export declare const pureSubpaths: readonly string[];
export declare function isIoModule(source: string): boolean;
declare const plugin: { readonly rules: Readonly<Record<string, unknown>> };
export default plugin;
