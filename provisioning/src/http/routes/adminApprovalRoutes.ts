import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AtriumError } from '@atrium/contracts';
import { ApprovalView, DecisionBody } from '../../api/schemas';
import { decideApproval, findApprovalView, listApprovals } from '../../db/approvalStore';
import { found } from '../errorHandler';
import { ADMIN_STATUSES, problemResponses } from '../problemResponses';
import type { AppDeps } from '../appDeps';

const Status = Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected'), Type.Literal('completed')]);
const Params = Type.Object({ approvalId: Type.String({ format: 'uuid' }) });

/** Ops: the enrolments flagged as clones or re-enrolments, and the decision on each. */
export const adminApprovalRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/v1/admin/approvals',
    {
      schema: {
        summary: 'List flagged enrolments, oldest first',
        querystring: Type.Object({ status: Type.Optional(Status), mallId: Type.Optional(Type.String()), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }),
        response: { 200: Type.Object({ approvals: Type.Array(ApprovalView) }), ...problemResponses(...ADMIN_STATUSES) },
      },
    },
    async (request) => ({ approvals: await listApprovals(deps.pool, request.query) }),
  );

  for (const [verb, status] of [
    ['approve', 'approved'],
    ['reject', 'rejected'],
  ] as const) {
    app.post(
      `/v1/admin/approvals/:approvalId/${verb}`,
      {
        schema: {
          summary: verb === 'approve' ? 'Approve a flagged enrolment; the kiosk then re-runs its enrolment' : 'Reject a flagged enrolment',
          params: Params,
          body: DecisionBody,
          response: { 200: ApprovalView, ...problemResponses(...ADMIN_STATUSES, 409) },
        },
      },
      async (request) => {
        const { approvalId } = request.params;
        const before = found(await findApprovalView(deps.pool, approvalId), 'approval');
        if (!(await decideApproval(deps.pool, approvalId, status, request.body.decidedBy, deps.now()))) {
          throw new AtriumError('CONFLICT', `approval ${approvalId} is already ${before.status}`);
        }
        request.log.info({ approvalId, status, decidedBy: request.body.decidedBy }, 'enrolment approval decided');
        return found(await findApprovalView(deps.pool, approvalId), 'approval');
      },
    );
  }
};
