// Source paths as DWARF records them (compile directory + file name, often a build machine's
// absolute paths, or paths relative to it) mapped to paths on this machine, and back. The symbol
// engine speaks file: URLs; the adapter speaks local paths.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, posix, resolve, win32 } from 'node:path';

/**
 * `pathMap` as in the launch configuration: build-time prefix → local prefix. The longest
 * matching prefix wins, and a prefix only matches at a path-component boundary.
 */
export type PathMap = Readonly<Record<string, string>>;

function trimSlash(p: string): string {
  return p.length > 1 && (p.endsWith('/') || p.endsWith('\\')) ? p.slice(0, -1) : p;
}

export class SourcePaths {
  private readonly rules: { from: string; to: string }[];
  private readonly urlByPath = new Map<string, string>();
  private readonly pathByUrl = new Map<string, string>();

  /**
   * `urls`: the files the symbol engine reports (file: URLs, relative paths already resolved
   * against the module's URL). `baseDir`: where relative DWARF paths resolve, the same way.
   */
  constructor(urls: readonly string[], pathMap: PathMap = {}, private readonly baseDir = '/') {
    this.rules = Object.entries(pathMap).map(([from, to]) => ({ from: trimSlash(from), to: trimSlash(to) }))
      .sort((a, b) => b.from.length - a.from.length);
    this.addUrls(urls);
  }

  /** Files the symbol engine reports (once it has read the module). */
  addUrls(urls: readonly string[]): void {
    for (const url of urls) {
      const local = this.remap(urlToPath(url));
      // The first URL for a path wins; the same file compiled into two units yields one path.
      if (!this.urlByPath.has(local)) this.urlByPath.set(local, url);
      this.pathByUrl.set(url, local);
    }
  }

  /** A build path as it is on this machine. */
  remap(buildPath: string): string {
    for (const { from, to } of this.rules) {
      if (buildPath === from) return to;
      if (buildPath.startsWith(from) && (buildPath[from.length] === '/' || buildPath[from.length] === '\\')) {
        return to + buildPath.slice(from.length);
      }
    }
    return buildPath;
  }

  /** A path as the DWARF records it (absolute, or relative to nothing usable) as a local path. */
  localPath(buildPath: string): string {
    const absolute = posix.isAbsolute(buildPath) || win32.isAbsolute(buildPath) ? buildPath : resolve(this.baseDir, buildPath);
    return this.remap(absolute);
  }

  localPaths(): string[] {
    return [...this.urlByPath.keys()];
  }

  /** The symbol engine's URL for a local path, matching case-sensitively then by normalised form. */
  urlOf(path: string): string | undefined {
    return this.urlByPath.get(path) ?? this.urlByPath.get(normalise(path));
  }

  pathOf(url: string): string {
    return this.pathByUrl.get(url) ?? this.remap(urlToPath(url));
  }
}

function normalise(p: string): string {
  return /^[a-zA-Z]:[\\/]/.test(p) ? win32.normalize(p) : posix.normalize(p);
}

function urlToPath(url: string): string {
  try {
    return url.startsWith('file:') ? fileURLToPath(url) : url;
  } catch {
    return url;
  }
}

/** The URL the symbol engine resolves relative DWARF paths against: the module file's own. */
export function moduleUrl(modulePath: string | undefined): string {
  return modulePath ? pathToFileURL(modulePath).href : 'file:///module.wasm';
}

/** The directory relative DWARF paths resolve against (matching `moduleUrl`). */
export function moduleDir(modulePath: string | undefined): string {
  return modulePath ? dirname(resolve(modulePath)) : '/';
}
