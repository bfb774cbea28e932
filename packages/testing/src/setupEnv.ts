// Loaded by every jest project before its tests: quiet, deterministic Powertools and fake AWS
// credentials so no test can reach a real account by accident.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_NAMESPACE ??= 'serverless-shop-test';
process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
// EMF lines would drown the test output; tests about metrics turn them back on.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
// Local runs use Node 20; Lambda runs 22. The SDK's reminder about that is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
