/** The file extensions `shiftlens embed` writes, light enough for the command line's help (exportVectors.ts writes them). */
export const VECTOR_EXPORT_EXTENSIONS = ['.parquet', '.npy'] as const;
export type VectorExportExtension = (typeof VECTOR_EXPORT_EXTENSIONS)[number];
