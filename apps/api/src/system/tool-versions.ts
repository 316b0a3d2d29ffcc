/**
 * The bioinformatics tools this server uses and their versions, detected once at start-up by
 * running each with its version flag (argument arrays, a short timeout). A missing tool is
 * reported as null so /system/info shows what an operator must install.
 */
import { execFile } from 'node:child_process';

interface ToolProbe {
  name: string;
  argv: string[];
  pattern: RegExp;
}

export const TOOLS: readonly ToolProbe[] = [
  { name: 'fastqc', argv: ['fastqc', '--version'], pattern: /v?(\d+\.\d+\.\d+\S*)/ },
  { name: 'cutadapt', argv: ['cutadapt', '--version'], pattern: /(\d+\.\d+\S*)/ },
  { name: 'fastp', argv: ['fastp', '--version'], pattern: /(\d+\.\d+\.\d+)/ },
  { name: 'bwa', argv: ['bwa'], pattern: /Version:\s*(\S+)/ },
  { name: 'bwa-mem2', argv: ['bwa-mem2', 'version'], pattern: /(\d+\.\d+\S*)/ },
  { name: 'samtools', argv: ['samtools', '--version'], pattern: /samtools (\S+)/ },
  { name: 'bedtools', argv: ['bedtools', '--version'], pattern: /v(\S+)/ },
];

function probe(tool: ToolProbe): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(tool.argv[0], tool.argv.slice(1), { timeout: 20_000 }, (err, stdout, stderr) => {
      const code = (err as NodeJS.ErrnoException | null)?.code;
      if (code === 'ENOENT') return resolve(null);
      const match = tool.pattern.exec(`${stdout}\n${stderr}`);
      resolve(match ? match[1] : null);
    });
  });
}

export async function detectToolVersions(): Promise<Record<string, string | null>> {
  const versions = await Promise.all(TOOLS.map(probe));
  return Object.fromEntries(TOOLS.map((t, i) => [t.name, versions[i]]));
}
