import { latestSummary } from '@shop/analytics-domain';
import { httpHandler, json, notFound } from '@shop/lambda-http';
import { createAnalyticsDependencies } from '../../dependencies';

const deps = createAnalyticsDependencies();

/** GET /analytics/summary — for administrators. */
export const handler = httpHandler(
  async () => {
    const summary = await latestSummary(deps);
    if (!summary) throw notFound('no roll-up has run yet; one runs every minute');
    return json(200, summary);
  },
  { access: 'admin' },
);
