import type { Plugin } from 'vite';
export declare function serviceWorkerSource(files: string[], cacheName: string): string;
export declare function offlineSite(options?: { publicDir?: string }): Plugin;
