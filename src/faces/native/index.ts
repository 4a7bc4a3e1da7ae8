import { bearerOrSessionCredential } from '../../http/auth.js';
import { idempotency } from '../../http/idempotency.js';
import type { Face } from '../face.js';
import { apiKeyRoutes } from './api-keys.js';
import { assessmentRoutes } from './assessments.js';
import { auditEventRoutes } from './audit-events.js';
import { calibrationBiasRoutes } from './calibration-bias.js';
import { calibrationCycleRoutes } from './calibration-cycles.js';
import { calibrationRecordBulkRoutes } from './calibration-records-bulk.js';
import { calibrationSessionRoutes } from './calibration-sessions.js';
import { calibrationTalentRecordRoutes } from './calibration-talent-records.js';
import { checkinRoutes } from './checkins.js';
import { checkinBulkRoutes } from './checkins-bulk.js';
import { commentRoutes } from './comments.js';
import { companyValueRoutes } from './company-values.js';
import { conversationDeploymentRoutes } from './conversation-deployments.js';
import { conversationEditRequestRoutes } from './conversation-edit-requests.js';
import { conversationParticipantRoutes } from './conversation-participants.js';
import { conversationTemplateRoutes } from './conversation-templates.js';
import { conversationRoutes } from './conversations.js';
import { datastreamRoutes } from './datastreams.js';
import { departmentRoutes } from './departments.js';
import { errorBody } from './envelope.js';
import { eventRoutes } from './events.js';
import { feedbackRoutes } from './feedback.js';
import { feedbackCycleRoutes } from './feedback-cycles.js';
import { feedbackRequestRoutes } from './feedback-requests.js';
import { feedbackSettingsRoutes } from './feedback-settings.js';
import { feedbackTemplateRoutes } from './feedback-templates.js';
import { goalCopyRoutes } from './goal-copy.js';
import { goalHistoryRoutes } from './goal-history.js';
import { goalRoutes } from './goals.js';
import { goalBulkRoutes } from './goals-bulk.js';
import { groupRoutes } from './groups.js';
import { hookRoutes } from './hooks.js';
import { hrScopeRoutes } from './hr-scopes.js';
import { instantTokenRoutes } from './instant-tokens.js';
import { invitationRoutes } from './invitations.js';
import { meRoutes } from './me.js';
import { metricHookRoutes } from './metric-hooks.js';
import { milestoneRoutes } from './milestones.js';
import { oauthAppRoutes } from './oauth-apps.js';
import { oauthGrantRoutes } from './oauth-grants.js';
import { periodRoutes } from './periods.js';
import { privacyNoticeRoutes } from './privacy-notice.js';
import { questionSchemas } from './question-schemas.js';
import { recognitionRoutes } from './recognition.js';
import { recognitionSocialRoutes } from './recognition-social.js';
import { recognitionStatsRoutes } from './recognition-stats.js';
import { sandboxRoutes } from './sandbox.js';
import { serviceAccountRoutes } from './service-accounts.js';
import { sessionRoutes } from './sessions.js';
import { ssoSettingsRoutes } from './sso-settings.js';
import { teamRoutes } from './teams.js';
import { userRoutes } from './users.js';
import { userBulkRoutes } from './users-bulk.js';
import { webhookDeliveryRoutes } from './webhook-deliveries.js';
import { webhookEndpointRoutes } from './webhook-endpoints.js';

/** The native face, /v1: `Authorization: Bearer` or a session cookie, the seed's envelope, honest statuses; POSTs honour Idempotency-Key. */
export const nativeFace: Face = {
  prefix: '/v1',
  readCredential: bearerOrSessionCredential,
  answerError: (request, error) => ({ status: error.status, body: errorBody(request, error) }),
  routes(app, deps) {
    const { preHandler, onSend } = idempotency(deps.db);
    app.addHook('preHandler', preHandler);
    app.addHook('onSend', onSend);
    for (const routes of [
      meRoutes,
      userRoutes,
      userBulkRoutes,
      hrScopeRoutes,
      departmentRoutes,
      groupRoutes,
      teamRoutes,
      apiKeyRoutes,
      oauthAppRoutes,
      serviceAccountRoutes,
      oauthGrantRoutes,
      instantTokenRoutes,
      sessionRoutes,
      privacyNoticeRoutes,
      ssoSettingsRoutes,
      invitationRoutes,
      auditEventRoutes,
      sandboxRoutes,
      // Milestone before goals, goals before check-ins: each registers the schemas the next refers to.
      periodRoutes,
      milestoneRoutes,
      goalBulkRoutes,
      goalRoutes,
      goalHistoryRoutes,
      goalCopyRoutes,
      checkinRoutes,
      checkinBulkRoutes,
      // After check-ins: the receiver answers the check-in schema.
      metricHookRoutes,
      hookRoutes,
      // Deliveries before endpoints: a ping answers the delivery schema.
      webhookDeliveryRoutes,
      webhookEndpointRoutes,
      eventRoutes,
      datastreamRoutes,
      commentRoutes,
      assessmentRoutes,
      // The shared question and answer schemas, which feedback and conversations refer to.
      questionSchemas,
      // Feedback (the response schema) before requests.
      feedbackTemplateRoutes,
      feedbackSettingsRoutes,
      feedbackRoutes,
      feedbackRequestRoutes,
      feedbackCycleRoutes,
      companyValueRoutes,
      recognitionRoutes,
      recognitionStatsRoutes,
      recognitionSocialRoutes,
      // Templates before conversations: they register the conversation question schema.
      conversationTemplateRoutes,
      conversationDeploymentRoutes,
      conversationRoutes,
      conversationEditRequestRoutes,
      conversationParticipantRoutes,
      calibrationCycleRoutes,
      calibrationSessionRoutes,
      calibrationTalentRecordRoutes,
      calibrationRecordBulkRoutes,
      calibrationBiasRoutes,
    ]) {
      routes(app, deps);
    }
  },
};
