-- 施設登録申請 no longer answers the public whether a login id or an address is taken (that answer
-- let anyone enumerate accounts): an application is stored whatever other accounts or applications
-- hold, and municipal staff see the conflict when they decide it. The indexes stay for those look-ups.
drop index registration_pending_login;
drop index registration_pending_email;
create index registration_pending_login on registration_applications (login_id) where status = 'pending';
create index registration_pending_email on registration_applications (email) where status = 'pending';
