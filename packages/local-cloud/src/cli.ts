import { startLocalCloud } from './LocalCloud';

/** `pnpm dev`: starts the local cloud, prints where everything is, and runs until Ctrl-C. */
async function dev(): Promise<void> {
  const cloud = await startLocalCloud({
    httpPort: Number(process.env.LOCAL_CLOUD_HTTP_PORT ?? 3000),
    awsPort: Number(process.env.LOCAL_CLOUD_AWS_PORT ?? 4566),
    log: (line) => process.stdout.write(`${line}\n`),
    onServiceLine: (service, line) => process.stdout.write(`[${service}] ${line}\n`),
  });
  process.stdout.write(
    [
      '',
      `serverless-shop is running (ready in ${(cloud.startupMs / 1000).toFixed(1)} s)`,
      `  base URL      ${cloud.baseUrl}`,
      `  AWS endpoint  ${cloud.awsEndpoint}   (aws --endpoint-url ${cloud.awsEndpoint} …)`,
      ...cloud.services.map(
        (s) =>
          `  ${s.service.name.padEnd(13)} http ${s.hasHttpApi ? s.httpPort : '-'}  lambda ${s.lambdaPort}`,
      ),
      '',
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('stopping…\n');
    await cloud.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

const command = process.argv[2] ?? 'dev';
const commands: Record<string, () => Promise<void>> = { dev };
const run = commands[command];
if (!run) {
  process.stderr.write(
    `unknown command "${command}"; use one of: ${Object.keys(commands).join(', ')}\n`,
  );
  process.exit(2);
}
run().catch((error: Error) => {
  process.stderr.write(`\n✖ ${error.message}\n`);
  process.exit(1);
});
