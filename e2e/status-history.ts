/** Whether `want` occurs in `got` in order (other entries may come between): a status history check. */
export function inOrder(got: string[], want: string[]): boolean {
  let at = 0;
  for (const w of want) {
    at = got.indexOf(w, at) + 1;
    if (at === 0) return false;
  }
  return true;
}
