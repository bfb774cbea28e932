import { type EventType, eventCatalogue, eventTypes } from '@shop/contracts';
import type { CfnResource, PackagedService } from '@shop/local-cloud';
import { packageAllServices } from './helpers/packagedServices';

// Who may publish to the event bus, read from the packaged stacks. Consumers drop an event whose
// `source` is not its producer, but the envelope is written by whoever publishes: IAM is what
// keeps a service from publishing at all where it produces nothing. So: only functions of a
// service the catalogue names as a producer may publish to the bus, only the functions listed
// below, and never an HTTP read or a 405 route.

jest.setTimeout(600_000);

/**
 * Every function that publishes to the bus, and what it publishes. A new publisher is a reviewed
 * change here, and each event listed must be one the catalogue says its service produces.
 */
const PUBLISHERS: Record<string, Record<string, readonly EventType[]>> = {
  order: {
    createOrder: ['OrderCreated'],
    recordOutcomes: ['OrderConfirmed', 'OrderCancelled'],
    // The sweeper republishes whatever a crash left unpublished.
    publishPendingOrders: ['OrderCreated', 'OrderConfirmed', 'OrderCancelled'],
  },
  inventory: {
    handleBusEvents: ['InventoryReserved', 'InventoryReservationFailed', 'InventoryUpdated'],
    adjustStock: ['InventoryUpdated'],
  },
  payment: {
    handleOrderEvents: ['PaymentProcessed', 'PaymentFailed', 'PaymentRefunded'],
  },
  thumbnail: {
    createThumbnail: ['ThumbnailCreated'],
  },
};

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Service name (folder under services/) → the events whose catalogue `source` it is. */
const producedBy = (() => {
  const map = new Map<string, EventType[]>();
  for (const type of eventTypes) {
    const { source } = eventCatalogue[type];
    map.set(source, [...(map.get(source) ?? []), type]);
  }
  return map;
})();

/** Whether a statement's resource is, or may be, the bus topic. */
const targetsBus = (resource: unknown) =>
  asArray(resource).some(
    (r) =>
      r === '*' ||
      // The imported bus ARN, its name, a wildcard SNS ARN, or an ARN joined from parts (which
      // could be anything).
      /EventBusTopic|shop-events-|:sns:[^"]*\*|Fn::Join/.test(JSON.stringify(r)),
  );

const allowsPublish = (statement: Statement) =>
  statement.Effect === 'Allow' &&
  asArray(statement.Action).some((action) => ['sns:Publish', 'sns:*', '*'].includes(action));

const statementsOf = (role: CfnResource): Statement[] =>
  ((role.Properties?.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
    (policy) => policy.PolicyDocument.Statement,
  );

/** Each function of a service with its key, its HTTP methods and the IAM role it runs as. */
function functionsOf(service: PackagedService) {
  const resources = Object.values(service.template.Resources);
  return Object.entries(service.functions).map(([key, fn]) => {
    const lambda = resources.find(
      (r) => r.Type === 'AWS::Lambda::Function' && r.Properties?.FunctionName === fn.name,
    );
    const roleId = (lambda?.Properties?.Role as { 'Fn::GetAtt'?: [string, string] } | undefined)?.[
      'Fn::GetAtt'
    ]?.[0];
    const role = roleId ? service.template.Resources[roleId] : undefined;
    const httpMethods = fn.events.flatMap((event) => {
      const http = event.httpApi as { method?: string } | string | undefined;
      if (http === undefined) return [];
      if (typeof http === 'string') return [http.split(' ')[0] ?? '*'];
      return [http.method ?? '*'];
    });
    return { service: service.name, key, roleId, role, httpMethods };
  });
}

let services: PackagedService[];

beforeAll(async () => {
  services = await packageAllServices();
});

const allFunctions = () => services.flatMap(functionsOf);

const publishersInTemplates = () =>
  allFunctions()
    .filter(({ role }) =>
      role ? statementsOf(role).some((s) => allowsPublish(s) && targetsBus(s.Resource)) : false,
    )
    .map(({ service, key }) => `${service}/${key}`)
    .sort();

describe('Publishing to the event bus', () => {
  it('lists, for each publisher, only events the catalogue says its service produces', () => {
    const foreign = Object.entries(PUBLISHERS).flatMap(([service, functions]) =>
      Object.entries(functions).flatMap(([key, events]) =>
        events
          .filter((type) => eventCatalogue[type].source !== service)
          .map((type) => `${service}/${key} publishes ${type} of ${eventCatalogue[type].source}`),
      ),
    );

    expect(foreign).toEqual([]);
  });

  it('has a listed publisher for every event of the catalogue', () => {
    const published = new Set(
      Object.values(PUBLISHERS).flatMap((fns) => Object.values(fns).flat()),
    );

    expect(eventTypes.filter((type) => !published.has(type))).toEqual([]);
  });

  it('finds a role for every function, so no grant goes unseen', () => {
    const roleless = allFunctions()
      .filter(({ role }) => role?.Type !== 'AWS::IAM::Role')
      .map(({ service, key }) => `${service}/${key}`);

    expect(allFunctions().length).toBeGreaterThan(10);
    expect(roleless).toEqual([]);
  });

  it('grants sns:Publish on the bus only to roles of services that produce an event', () => {
    const offenders = publishersInTemplates().filter(
      (publisher) => !producedBy.has(publisher.split('/')[0] ?? ''),
    );

    expect([...producedBy.keys()].sort()).toEqual(['inventory', 'order', 'payment', 'thumbnail']);
    expect(offenders).toEqual([]);
  });

  it('grants it to exactly the functions that publish, and to no other', () => {
    const declared = Object.entries(PUBLISHERS)
      .flatMap(([service, functions]) => Object.keys(functions).map((key) => `${service}/${key}`))
      .sort();

    expect(publishersInTemplates()).toEqual(declared);
  });

  it('never grants it to an HTTP read route or a 405 route', () => {
    const readers = allFunctions()
      .filter(({ httpMethods }) => httpMethods.some((m) => m === 'GET' || m === '*'))
      .map(({ service, key }) => `${service}/${key}`);
    const publishers = new Set(publishersInTemplates());

    expect(readers).toEqual(
      expect.arrayContaining(['order/listOrders', 'order/getOrder', 'inventory/listProducts']),
    );
    expect(readers.filter((reader) => publishers.has(reader))).toEqual([]);
  });

  it('opens the bus topic to no one through a topic policy: publishing is IAM only', () => {
    const busPolicies = services.flatMap((service) =>
      Object.entries(service.template.Resources)
        .filter(
          ([, resource]) =>
            resource.Type === 'AWS::SNS::TopicPolicy' &&
            /EventBusTopic|shop-events-/.test(JSON.stringify(resource.Properties?.Topics)),
        )
        .map(([id]) => `${service.name}/${id}`),
    );

    expect(busPolicies).toEqual([]);
  });
});
