/**
 * Route names: each platform that resells models under the one name LiteLLM gives it, so that a
 * route claim from models.dev, genai-prices or a page's Provider column meets LiteLLM's on one key
 * (`route:together_ai`, not `route:togetherai` beside `route:together-ai`).
 */
const ROUTE_NAMES: Record<string, string> = {
  'amazon-bedrock': 'bedrock',
  aws: 'bedrock',
  'aws-bedrock': 'bedrock',
  'google-vertex': 'vertex_ai',
  'google-vertex-ai': 'vertex_ai',
  'google-vertex-anthropic': 'vertex_ai',
  'vertex-ai': 'vertex_ai',
  togetherai: 'together_ai',
  together: 'together_ai',
  'together-ai': 'together_ai',
  'fireworks-ai': 'fireworks_ai',
  fireworks: 'fireworks_ai',
  'azure-openai': 'azure',
  vercel: 'vercel_ai_gateway',
  'github-copilot': 'github_copilot',
  'cloudflare-workers-ai': 'cloudflare',
  'novita-ai': 'novita',
  nvidia: 'nvidia_nim',
  digitalocean: 'gradient_ai',
  gmicloud: 'gmi',
  'snowflake-cortex': 'snowflake',
};

/** LiteLLM's name for a platform a source names by its own id or a page by its name ("Together AI" -> together_ai). */
export function routeName(platform: string): string {
  const slug = platform.trim().toLowerCase().replace(/[\s_]+/g, '-').replace(/[^a-z0-9.-]/g, '');
  return ROUTE_NAMES[slug] ?? slug;
}
