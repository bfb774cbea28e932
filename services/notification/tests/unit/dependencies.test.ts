import { SesEmailSender } from '@shop/aws-adapters';
import { createNotificationDependencies } from '../../src/dependencies';

describe('Function: createNotificationDependencies', () => {
  it('sends through SES from the configured sender address', () => {
    // Act
    const deps = createNotificationDependencies({ SENDER_EMAIL: 'orders@shop.example.com' });

    // Assess
    expect(deps.senderAddress).toBe('orders@shop.example.com');
    expect(deps.emailSender).toBeInstanceOf(SesEmailSender);
  });

  it('fails the cold start, naming the setting, when no sender address is configured', () => {
    // Act & Assess
    expect(() => createNotificationDependencies({})).toThrow(
      "SENDER_EMAIL is not set; it comes from the service's serverless.yml",
    );
  });
});
