export interface LongFunction {
  name: string;
  line: number;
  lines: number;
  reason?: string;
}

export declare function longFunctionsIn(text: string, fileName: string, max: number): LongFunction[];
export declare function longFunctions(
  folders: readonly string[],
  max: number,
): Promise<(LongFunction & { file: string })[]>;
