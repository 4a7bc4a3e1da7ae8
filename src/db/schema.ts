import type { AccessTables } from './schema/access.js';
import type { AuditTables } from './schema/audit.js';
import type { CalibrationTables } from './schema/calibration.js';
import type { ConversationsTables } from './schema/conversations.js';
import type { CursorTables } from './schema/cursors.js';
import type { DatastreamsTables } from './schema/datastreams.js';
import type { DirectoryTables } from './schema/directory.js';
import type { FeedbackTables } from './schema/feedback.js';
import type { GoalFeedbackTables } from './schema/goal-feedback.js';
import type { GoalsTables } from './schema/goals.js';
import type { MetricHooksTables } from './schema/metric-hooks.js';
import type { OAuthTables } from './schema/oauth.js';
import type { OrgsTables } from './schema/orgs.js';
import type { RecognitionTables } from './schema/recognition.js';
import type { ServiceAccountTables } from './schema/service-accounts.js';
import type { SignInTables } from './schema/sign-in.js';
import type { SsoTables } from './schema/sso.js';
import type { WebhookOutboxTables } from './schema/webhook-outbox.js';

/**
 * The database as Kysely sees it: each area declares its own tables in src/db/schema/ (one file an area,
 * as the migrations add them), and this is the one place that composes them. A new area adds its file
 * and one name to DB; everything else keeps importing its types from here.
 */

export type {
  AccessTables,
  ApiKeysTable,
  HrAdminScopesTable,
  IdempotencyKeysTable,
  PrivacyNoticeAcceptancesTable,
} from './schema/access.js';
export type { AuditEventsTable, AuditTables } from './schema/audit.js';
export type {
  CalibrationCyclesTable,
  CalibrationSessionFacilitatorsTable,
  CalibrationSessionsTable,
  CalibrationState,
  CalibrationTables,
  CalibrationTalentRecordChangesTable,
  CalibrationTalentRecordsTable,
  CustomValues,
  TalentField,
} from './schema/calibration.js';
export type { Mode, Moment } from './schema/columns.js';
export type {
  Answers,
  ConversationDeploymentsTable,
  ConversationEditRequestsTable,
  ConversationFormat,
  ConversationGoalsTable,
  ConversationKind,
  ConversationPrivateNotesTable,
  ConversationQuestion,
  ConversationStatus,
  ConversationsTable,
  ConversationsTables,
  ConversationTemplatesTable,
  ConversationTemplateVersionsTable,
  DeploymentAudience,
  EditRequestStatus,
  MappedTalentField,
} from './schema/conversations.js';
export type { CursorSecretsTable, CursorTables } from './schema/cursors.js';
export type { DatastreamsTable, DatastreamsTables } from './schema/datastreams.js';
export type {
  DepartmentsTable,
  DirectoryTables,
  GroupMembersTable,
  GroupsTable,
  Role,
  TeamKind,
  TeamMembersTable,
  TeamRole,
  TeamsTable,
  UserDottedManagersTable,
  UserKind,
  UsersTable,
} from './schema/directory.js';
export type {
  FeedbackAnonymity,
  FeedbackCycleKind,
  FeedbackCyclesTable,
  FeedbackProviderStatus,
  FeedbackProvidersTable,
  FeedbackRequestKind,
  FeedbackRequestStatus,
  FeedbackRequestsTable,
  FeedbackResponsesTable,
  FeedbackTables,
  FeedbackTemplatesTable,
} from './schema/feedback.js';
export type {
  AssessmentScale,
  AssessorRole,
  GoalAssessmentsTable,
  GoalCommentsTable,
  GoalFeedbackTables,
  OrgSettingsTable,
} from './schema/goal-feedback.js';
export type {
  CheckinsTable,
  GoalContributorsTable,
  GoalLabelsTable,
  GoalStatus,
  GoalsTable,
  GoalsTables,
  GoalTeamsTable,
  GoalType,
  GoalVisibility,
  MetricDirection,
  MetricUnit,
  MilestoneStatus,
  MilestonesTable,
  PeriodStatus,
  PeriodsTable,
  ProgressSource,
  UpdateInterval,
} from './schema/goals.js';
export type { MetricHookMessagesTable, MetricHooksTable, MetricHooksTables } from './schema/metric-hooks.js';
export type {
  OAuthAppKind,
  OAuthAppsTable,
  OAuthCodesTable,
  OAuthTables,
  OAuthTokensTable,
} from './schema/oauth.js';
export type { OrganizationsTable, OrgsTables } from './schema/orgs.js';
export type { Answer, AnswerValue, Question, QuestionType, ScaleLabel } from './schema/questions.js';
export type {
  CompanyValuesTable,
  RecognitionCommentsTable,
  RecognitionHashtagsTable,
  RecognitionReactionsTable,
  RecognitionReceiversTable,
  RecognitionsTable,
  RecognitionTables,
  RecognitionVisibility,
} from './schema/recognition.js';
export type { ServiceAccountsTable, ServiceAccountTables } from './schema/service-accounts.js';
export type {
  SessionsTable,
  SignInLinkPurpose,
  SignInLinksTable,
  SignInTables,
  SignInThrottleTable,
  UserPasswordsTable,
} from './schema/sign-in.js';
export type { SsoAttemptsTable, SsoSettingsTable, SsoTables } from './schema/sso.js';
export type {
  DeliveryStatus,
  EventsTable,
  WebhookDeliveriesTable,
  WebhookEndpointsTable,
  WebhookOutboxTables,
} from './schema/webhook-outbox.js';

export interface DB
  extends OrgsTables,
    DirectoryTables,
    AccessTables,
    AuditTables,
    GoalsTables,
    GoalFeedbackTables,
    ConversationsTables,
    CursorTables,
    FeedbackTables,
    RecognitionTables,
    CalibrationTables,
    MetricHooksTables,
    OAuthTables,
    SignInTables,
    SsoTables,
    ServiceAccountTables,
    WebhookOutboxTables,
    DatastreamsTables {}
