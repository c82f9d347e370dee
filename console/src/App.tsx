import { Button, Group, Text } from '@mantine/core';
import { NavLink, Route, Routes } from 'react-router';
import type { Role } from './api/types';
import { SessionProvider, useSession, useToken, useWhoami } from './auth/session';
import { signOutEverywhere } from './auth/token-store';
import { ErrorState, LoadingState } from './components/states';
import { LiveIndicator, LiveProvider } from './live/watch';
import { AuditPage } from './pages/AuditPage';
import { JobPage } from './pages/JobPage';
import { JobsPage } from './pages/JobsPage';
import { OverviewPage } from './pages/OverviewPage';
import { ResourcePage } from './pages/ResourcePage';
import { ResourcesPage } from './pages/ResourcesPage';
import { SecretEditPage } from './pages/SecretEditPage';
import { SecretsPage } from './pages/SecretsPage';
import { SignInPage } from './pages/SignInPage';
import { SyncPage } from './pages/SyncPage';
import { TokensPage } from './pages/TokensPage';

const NAV: { to: string; label: string; role: Role }[] = [
  { to: '/', label: 'Overview', role: 'viewer' },
  { to: '/hosts', label: 'Hosts', role: 'viewer' },
  { to: '/databases', label: 'Databases', role: 'viewer' },
  { to: '/jobs', label: 'Jobs', role: 'viewer' },
  { to: '/sync', label: 'Sync', role: 'operator' },
  { to: '/secrets', label: 'Secrets', role: 'operator' },
  { to: '/tokens', label: 'Tokens', role: 'admin' },
  { to: '/audit', label: 'Audit', role: 'admin' },
];

export function App() {
  const token = useToken();
  const whoami = useWhoami(token);
  if (!token) return <SignInPage />;
  if (whoami.isPending) return <LoadingState label="Signing in" />;
  if (whoami.error) return <SignInPage error={whoami.error} />;
  return (
    <SessionProvider whoami={whoami.data}>
      <LiveProvider>
        <Shell />
      </LiveProvider>
    </SessionProvider>
  );
}

function Shell() {
  const session = useSession();
  return (
    <>
      <a className="shell-skip" href="#main">
        Skip to content
      </a>
      <header className="shell-header">
        <Text className="shell-brand" component="span">
          CMDB
        </Text>
        <nav className="shell-nav" aria-label="Main">
          {NAV.filter((item) => session.can(item.role)).map((item) => (
            <NavLink key={item.to} to={item.to} end={item.to === '/'}>
              {item.label}
            </NavLink>
          ))}
        </nav>
        <Group gap="sm">
          <LiveIndicator />
          <Text size="sm" data-testid="signed-in-as">
            {session.whoami.name} ({session.whoami.role})
          </Text>
          <Button size="compact-sm" variant="subtle" onClick={signOutEverywhere}>
            Sign out
          </Button>
        </Group>
      </header>
      <main id="main" className="shell-main" tabIndex={-1}>
        <Routes>
          <Route path="/" element={<OverviewPage />} />
          <Route path="/hosts" element={<ResourcesPage kind="hosts" />} />
          <Route path="/hosts/:id" element={<ResourcePage kind="hosts" />} />
          <Route path="/databases" element={<ResourcesPage kind="databases" />} />
          <Route path="/databases/:id" element={<ResourcePage kind="databases" />} />
          <Route path="/jobs" element={<JobsPage />} />
          <Route path="/jobs/:id" element={<JobPage />} />
          {session.can('operator') && <Route path="/sync" element={<SyncPage />} />}
          {session.can('operator') && <Route path="/secrets" element={<SecretsPage />} />}
          {session.can('admin') && <Route path="/secrets/new" element={<SecretEditPage />} />}
          {session.can('admin') && <Route path="/secrets/:id" element={<SecretEditPage />} />}
          {session.can('admin') && <Route path="/tokens" element={<TokensPage />} />}
          {session.can('admin') && <Route path="/audit" element={<AuditPage />} />}
          <Route path="*" element={<ErrorState title="Not found" error={new Error('There is no such page, or your role may not see it.')} />} />
        </Routes>
      </main>
    </>
  );
}
