import type { AwsClients } from '../../src/cloudformation/provision';

/** A command an SDK client was sent: its class name (`CreateQueueCommand`) and input. */
export interface SentCommand {
  client: keyof AwsClients;
  command: string;
  input: Record<string, unknown>;
}

/** What a fake client answers to a command, by command class name; `{}` when not listed. */
export type FakeAnswers = Partial<
  Record<string, (input: Record<string, unknown>) => unknown | Promise<unknown>>
>;

/**
 * SDK clients for provisioning code that record every command and answer from `answers`, so a
 * unit test sees what would have been asked of the emulators without opening a socket.
 *
 * @example
 * const { clients, sent } = fakeAwsClients({ CreateTopicCommand: ({ Name }) => ({ TopicArn: `arn:…:${Name}` }) });
 * await provisionStack(template, { stackName, region, clients, imports: new Map() });
 * expect(sent.map((c) => c.command)).toEqual(['CreateTopicCommand']);
 */
export function fakeAwsClients(answers: FakeAnswers = {}): {
  clients: AwsClients;
  sent: SentCommand[];
} {
  const sent: SentCommand[] = [];
  const fake = (client: keyof AwsClients) => ({
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name;
      sent.push({ client, command: name, input: command.input });
      return (await answers[name]?.(command.input)) ?? {};
    },
  });
  const clients = {
    sns: fake('sns'),
    sqs: fake('sqs'),
    dynamodb: fake('dynamodb'),
    s3: fake('s3'),
    cognito: fake('cognito'),
  } as unknown as AwsClients;
  return { clients, sent };
}
