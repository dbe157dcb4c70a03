/** Builds the widget into `publicDir` (public/ by default); returns the files written with their gzip sizes. */
export function buildWidget(publicDir?: string): Promise<Record<string, { file?: string; gzip?: number } | string>>;
