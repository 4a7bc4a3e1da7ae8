import { useEffect } from 'preact/hooks';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { signOut } from './api/auth';
import { CALIBRATION_PATH, CYCLE_PATH } from './calibration/cycles';
import { MeMenu } from './me/me-menu';
import { ME_SCREENS } from './me/screens';
import { PEOPLE_SCREENS } from './people/paths';
import { ADMIN_PREFIX, SCREENS } from './routes';
import { AdminOnly, AdminScreen } from './screens/admin';
import { AdminAuditScreen } from './screens/admin-audit';
import { AdminCalibrationScreen } from './screens/admin-calibration';
import { AdminCalibrationCycleScreen } from './screens/admin-calibration-cycle';
import {
  CONVERSATION_TEMPLATES_PATH,
  ConversationTemplatesScreen,
} from './screens/admin-conversation-templates';
import { DEPLOYMENTS_PATH, DeploymentsScreen } from './screens/admin-deployments';
import { FEEDBACK_TEMPLATES_PATH, FeedbackTemplatesScreen } from './screens/admin-feedback-templates';
import { OAUTH_APPS_PATH, OAuthAppsScreen } from './screens/admin-oauth-apps';
import { AdminPeriodsScreen } from './screens/admin-periods';
import { AdminSandboxScreen } from './screens/admin-sandbox';
import { AdminScaleScreen } from './screens/admin-scale';
import { AdminWebhooksScreen } from './screens/admin-webhooks';
import { API_KEYS_PATH, ApiKeysScreen } from './screens/api-keys';
import { DepartmentsScreen } from './screens/departments';
import { GoalScreen } from './screens/goal';
import { MyAppsScreen } from './screens/me-apps';
import { MyConversationsScreen } from './screens/me-conversations';
import { MyFeedbackScreen } from './screens/me-feedback';
import { MyRecognitionScreen } from './screens/me-recognition';
import { MyTokensScreen } from './screens/me-tokens';
import { MyGoalsScreen } from './screens/my-goals';
import { NoticeScreen } from './screens/notice';
import { PeopleScreen } from './screens/people';
import { PeopleUploadScreen } from './screens/people-upload';
import { PersonScreen } from './screens/person';
import { SignInScreen } from './screens/sign-in';
import { TreeScreen } from './screens/tree';
import { isAdmin, SessionProvider, useSession } from './session';

export function App() {
  return (
    <LocationProvider>
      <SessionProvider>
        <Header />
        <main id="main">
          <Screens />
        </main>
      </SessionProvider>
    </LocationProvider>
  );
}

/** Sends a person where their session allows: sign-in without one, the notice until it is accepted. */
function Screens() {
  const { session } = useSession();
  const { path, route } = useLocation();
  const needed = session === null ? SCREENS.signIn : session?.noticePending ? SCREENS.notice : null;
  useEffect(() => {
    if (needed && path !== needed) route(needed, true);
  }, [needed, path, route]);
  if (session === undefined) return <p aria-live="polite">Loading…</p>;
  // Nothing of a screen the person may not see yet, not even its first request.
  if (needed && path !== needed) return null;
  if (path.startsWith(ADMIN_PREFIX) && !isAdmin(session)) return <AdminOnly />;
  return (
    <Router>
      <Route path={SCREENS.signIn} component={SignInScreen} />
      <Route path={SCREENS.notice} component={NoticeScreen} />
      <Route path={SCREENS.myGoals} component={MyGoalsScreen} />
      <Route path={SCREENS.tree} component={TreeScreen} />
      <Route path={SCREENS.goal} component={GoalScreen} />
      <Route path={SCREENS.admin} component={AdminScreen} />
      <Route path={PEOPLE_SCREENS.people} component={PeopleScreen} />
      <Route path={PEOPLE_SCREENS.upload} component={PeopleUploadScreen} />
      <Route path={PEOPLE_SCREENS.person} component={PersonScreen} />
      <Route path={PEOPLE_SCREENS.departments} component={DepartmentsScreen} />
      <Route path={API_KEYS_PATH} component={ApiKeysScreen} />
      <Route path={ME_SCREENS.tokens.path} component={MyTokensScreen} />
      <Route path={ME_SCREENS.apps.path} component={MyAppsScreen} />
      <Route path={ME_SCREENS.conversations.path} component={MyConversationsScreen} />
      <Route path={ME_SCREENS.feedback.path} component={MyFeedbackScreen} />
      <Route path={ME_SCREENS.recognition.path} component={MyRecognitionScreen} />
      <Route path={OAUTH_APPS_PATH} component={OAuthAppsScreen} />
      <Route path="/admin/webhooks" component={AdminWebhooksScreen} />
      <Route path="/admin/audit" component={AdminAuditScreen} />
      <Route path="/admin/periods" component={AdminPeriodsScreen} />
      <Route path="/admin/scale" component={AdminScaleScreen} />
      <Route path="/admin/sandbox" component={AdminSandboxScreen} />
      <Route path={CALIBRATION_PATH} component={AdminCalibrationScreen} />
      <Route path={CYCLE_PATH} component={AdminCalibrationCycleScreen} />
      <Route path={CONVERSATION_TEMPLATES_PATH} component={ConversationTemplatesScreen} />
      <Route path={DEPLOYMENTS_PATH} component={DeploymentsScreen} />
      <Route path={FEEDBACK_TEMPLATES_PATH} component={FeedbackTemplatesScreen} />
      <Route default component={NotFound} />
    </Router>
  );
}

function Header() {
  const { session, setSession } = useSession();
  const { route } = useLocation();
  const leave = async () => {
    // The session ends on the server; whatever it answers, this tab forgets it.
    await signOut().catch(() => undefined);
    setSession(null);
    route(SCREENS.signIn);
  };
  return (
    <header class="top">
      <a class="brand" href="/">
        Trellis
      </a>
      {session && !session.noticePending && (
        <nav aria-label="Main">
          <a href={SCREENS.myGoals}>My goals</a>
          <a href={SCREENS.tree}>Alignment</a>
          <MeMenu />
          {isAdmin(session) && <a href={SCREENS.admin}>Admin</a>}
          <button type="button" class="link" onClick={leave}>
            Sign out
          </button>
        </nav>
      )}
    </header>
  );
}

function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p>
        There is no such screen. <a href="/">Back to my goals</a>.
      </p>
    </section>
  );
}
