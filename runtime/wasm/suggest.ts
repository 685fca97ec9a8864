// "Did you mean …?" for names people mistype: instructions in WAT, WASI imports, and anything else
// with a known list of names.

/** Levenshtein distance, giving up at `limit` (returns `limit`) so long misses stay cheap. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin >= limit) return limit;
    prev = cur;
  }
  return prev[b.length]!;
}

/** The candidate closest to `word` within `maxDistance` edits, if any (the first one on ties). */
export function nearestName(word: string, candidates: Iterable<string>, maxDistance: number): string | undefined {
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const name of candidates) {
    if (Math.abs(name.length - word.length) >= bestDistance) continue;
    const d = editDistance(word, name, bestDistance);
    if (d < bestDistance) {
      bestDistance = d;
      best = name;
    }
  }
  return best;
}
