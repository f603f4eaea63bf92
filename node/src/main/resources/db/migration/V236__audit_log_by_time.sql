-- Reports read the audit log by time: the "active professionals" figure counts the distinct actors of a
-- window (7 and 30 days, for each month of a report), and a patient's access report reads one patient's
-- rows of a month. Without these the two scan the whole log, which only grows. (at, actor) answers the
-- figure from the index alone; (target, at) finds one patient's month directly.
create index audit_log_at_actor on audit_log (at, actor);
create index audit_log_target_at on audit_log (target, at);
