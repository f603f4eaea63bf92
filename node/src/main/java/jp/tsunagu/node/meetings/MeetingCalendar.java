package jp.tsunagu.node.meetings;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.Attendee;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.Method;
import net.fortuna.ical4j.model.property.Organizer;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.Url;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableMethod;
import net.fortuna.ical4j.model.property.immutable.ImmutableStatus;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;

/**
 * Meetings as iCalendar (RFC 5545): the invitation each participant's mail carries ({@code REQUEST},
 * or {@code CANCEL} once cancelled), and a professional's feed ({@code PUBLISH}). The UID is the
 * meeting's id at the node, so a calendar application replaces its copy when SEQUENCE rises.
 */
final class MeetingCalendar {

  static final String PRODUCT = "-//Tsunagu//meetings//JA";

  private final String nodeName;
  private final String from;

  MeetingCalendar(String nodeName, String from) {
    this.nodeName = nodeName;
    this.from = from;
  }

  /** The invitation or, for a cancelled meeting, the cancellation, as the file a mail attaches. */
  byte[] invitation(Meeting meeting, Instant now) {
    Method method = meeting.cancelled() ? ImmutableMethod.CANCEL : ImmutableMethod.REQUEST;
    return calendar(method, List.of(meeting), now).toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A professional's meetings, for her calendar application. */
  String feed(List<Meeting> meetings, Instant now) {
    return calendar(ImmutableMethod.PUBLISH, meetings, now).toString();
  }

  /** The {@code Content-Type} of an invitation's file, naming its method as mail clients expect. */
  static String contentType(Meeting meeting) {
    return "text/calendar; charset=UTF-8; method=" + (meeting.cancelled() ? "CANCEL" : "REQUEST");
  }

  private Calendar calendar(Method method, List<Meeting> meetings, Instant now) {
    Calendar calendar = new Calendar();
    calendar.add(new ProdId(PRODUCT));
    calendar.add(ImmutableVersion.VERSION_2_0);
    calendar.add(ImmutableCalScale.GREGORIAN);
    calendar.add(method);
    for (Meeting meeting : meetings) {
      calendar.add(event(meeting, now));
    }
    return calendar;
  }

  private VEvent event(Meeting m, Instant now) {
    VEvent event = new VEvent(m.startsAt(), m.endsAt(), "【" + m.kind().labelJa() + "】" + m.title());
    event.add(new Uid(m.id() + "@" + nodeName));
    event.add(new DtStamp(now));
    event.add(new Sequence(m.sequence()));
    event.add(m.cancelled() ? ImmutableStatus.VEVENT_CANCELLED : ImmutableStatus.VEVENT_CONFIRMED);
    String where = m.online() ? (m.place().isEmpty() ? "オンライン" : m.place() + "（オンライン併用）") : m.place();
    event.add(new Location(where));
    if (!m.videoUrl().isEmpty()) {
      event.add(new Url(URI.create(m.videoUrl())));
    }
    event.add(new Description((m.agenda().isEmpty() ? "" : "議題:\n" + m.agenda() + "\n")
        + (m.videoUrl().isEmpty() ? "" : "参加: " + m.videoUrl())));
    event.add(new Organizer(URI.create("mailto:" + from)));
    for (Meeting.Participant p : m.participants()) {
      if (!p.email().isEmpty()) {
        event.add(new Attendee(URI.create("mailto:" + p.email())));
      }
    }
    return event;
  }
}
