import { Button, EmptyState, ErrorMessage, Spinner } from '@/components/ui';
import { useNotifications, useReadAllNotifications } from '../api/chat';

export function NotificationsPage() {
  const notifications = useNotifications();
  const readAll = useReadAllNotifications();
  return (
    <main>
      <h1>Notifications</h1>
      {notifications.isPending ? (
        <Spinner label="Loading notifications…" />
      ) : notifications.isError ? (
        <ErrorMessage error={notifications.error} />
      ) : notifications.data.items.length === 0 ? (
        <EmptyState title="Nothing new">
          <p>Requests, payments and community news will show up here.</p>
        </EmptyState>
      ) : (
        <>
          {notifications.data.unreadCount > 0 && (
            <Button className="secondary" busy={readAll.isPending} onClick={() => readAll.mutate()}>
              Mark all as read
            </Button>
          )}
          <ul className="history" aria-label="Notifications">
            {notifications.data.items.map((n) => (
              <li key={n.id} aria-label={`${n.title}${n.readAt ? '' : ' (unread)'}`}>
                <strong>{n.title}</strong> {!n.readAt && <span className="badge badge-pending">new</span>}
                <div>{n.body}</div>
                <small className="muted">{new Date(n.createdAt).toLocaleString()}</small>
              </li>
            ))}
          </ul>
        </>
      )}
      <ErrorMessage error={readAll.error} />
    </main>
  );
}
