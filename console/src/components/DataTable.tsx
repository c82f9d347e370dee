import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

/** A table that scrolls sideways on a narrow screen rather than squeezing its columns; plain strings in `head` become header cells. */
export function DataTable({ minWidth, head, children, testId }: { minWidth: number; head: ReactNode[]; children: ReactNode; testId?: string }) {
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table striped highlightOnHover data-testid={testId}>
        <Table.Thead>
          <Table.Tr>{head.map((cell) => (typeof cell === 'string' ? <Table.Th key={cell}>{cell}</Table.Th> : cell))}</Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
