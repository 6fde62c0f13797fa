import { z } from 'zod';

export const SOURCE_KINDS = ['first-party', 'api', 'model-card', 'aggregator'] as const;
export const SourceKindSchema = z.enum(SOURCE_KINDS);
export type SourceKind = z.infer<typeof SourceKindSchema>;

export const SourceFormatSchema = z.enum(['html', 'markdown', 'json', 'text']);
export type SourceFormat = z.infer<typeof SourceFormatSchema>;

/** One declarative file in sources/: what to fetch, how to read it, and how far to trust it. */
export const SourceSchema = z
  .object({
    // Also a file name (sources/<id>.json): past 100 characters it could exceed what a file system takes.
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes').max(100),
    name: z.string().min(1),
    kind: SourceKindSchema,
    url: z
      .string()
      .url()
      // A file: URL rendered by the browser would read the machine's own files into a snapshot the
      // desk serves; javascript:, data: and the rest have nothing to fetch. Only the web.
      .regex(/^[hH][tT][tT][pP][sS]?:\/\//, 'only http: and https: URLs are allowed'),
    format: SourceFormatSchema,
    extractor: z.string().min(1).describe('Name of the extractor in src/extract/registry.ts'),
    trust: z.number().min(0).max(1).describe('Prior reliability before any agreement is learned'),
    provider: z
      .string()
      .optional()
      .describe('Provider assumed for bare model names on this source (e.g. "openai" on OpenAI\'s own pages)'),
    route: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_./-]*$/, 'a route name such as "bedrock" or "together_ai"')
      .optional()
      .describe(
        "A host's own page for other vendors' models (Bedrock, Groq, Together, Fireworks): every claim is that route's figure (condition route:NAME), never the model's base price",
      ),
    render: z.enum(['http', 'browser']).default('http'),
    robots: z.enum(['obey', 'ignore']).default('obey'),
    allow_private_network: z
      .boolean()
      .optional()
      .describe(
        'Let this source fetch its own host on a loopback, private or link-local address (an intranet page). Redirects and page requests to other hosts are still refused there',
      ),
    expect: z
      .object({
        min_models: z.number().int().min(0).default(1),
        fields: z.array(z.string()).default([]).describe('Fields at least one model must have'),
      })
      .default({}),
    notes: z.string().optional(),
  })
  .strict();
export type Source = z.infer<typeof SourceSchema>;
export type SourceInput = z.input<typeof SourceSchema>;
