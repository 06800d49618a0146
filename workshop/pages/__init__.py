"""What people see and send: routes, forms, view models and socket handlers, by audience."""
