import { Button, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { FormEvent, useState } from 'react';
import { storeToken } from '../auth/token-store';
import { ErrorState } from '../components/states';

/** The token is kept in this tab's sessionStorage; the server says which role it holds. */
export function SignInPage({ error }: { error?: unknown }) {
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) storeToken(token.trim());
  };
  return (
    <main className="signin">
      <Paper withBorder p="lg" radius="md">
        <form onSubmit={submit}>
          <Stack>
            <Title order={1} size="h3">
              CMDB console
            </Title>
            <Text size="sm" c="dimmed">
              Sign in with an API token. It stays in this browser tab only.
            </Text>
            {error !== undefined && <ErrorState title="Sign-in failed" error={error} />}
            <PasswordInput label="API token" placeholder="cmdb_…" value={token} onChange={(event) => setToken(event.currentTarget.value)} autoFocus required autoComplete="off" />
            <Button type="submit">Sign in</Button>
          </Stack>
        </form>
      </Paper>
    </main>
  );
}
