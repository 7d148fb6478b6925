import { NavLink } from 'react-router-dom';
import { useNotifications } from '../api/chat';

/** The bell in the top bar: the unread count, kept live by the hub's `notification` pushes. */
export function NotificationsBell() {
  const notifications = useNotifications();
  const unread = notifications.data?.unreadCount ?? 0;
  return (
    <NavLink to="/notifications" className="bell" aria-label={unread ? `Notifications, ${unread} unread` : 'Notifications'}>
      <span aria-hidden="true">🔔</span>
      {unread > 0 && (
        <span className="count" aria-hidden="true">
          {unread}
        </span>
      )}
    </NavLink>
  );
}
