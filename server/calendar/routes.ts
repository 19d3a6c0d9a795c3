import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { IdParams } from '../contracts/common.ts';
import type { CalendarFile, CalendarService } from './service.ts';

const tags = ['calendar'];
const Ics = { description: 'An iCalendar file (RFC 5545)', content: { 'text/calendar': { schema: Type.String() } } };

function sendCalendar(reply: FastifyReply, file: CalendarFile): FastifyReply {
  return reply
    .type('text/calendar; charset=utf-8')
    .header('content-disposition', `attachment; filename="${file.filename}"`)
    .send(file.body);
}

// Public: calendar apps subscribe without logging in.
export const calendarRoutes: FastifyPluginAsyncTypebox<{ calendar: CalendarService }> = async (app, { calendar }) => {
  app.get(
    '/api/broadcasts/:id/calendar.ics',
    { schema: { tags, summary: 'One broadcast as a calendar entry (not for drafts)', params: IdParams, response: { 200: Ics } } },
    async (request, reply) => sendCalendar(reply, await calendar.broadcast(request.params.id)),
  );
  app.get(
    '/api/series/:id/calendar.ics',
    { schema: { tags, summary: "A series' occurrences as a calendar to subscribe to", params: IdParams, response: { 200: Ics } } },
    async (request, reply) => sendCalendar(reply, await calendar.series(request.params.id)),
  );
  app.get(
    '/api/channels/:id/calendar.ics',
    { schema: { tags, summary: "A channel's public broadcasts as a calendar to subscribe to", params: IdParams, response: { 200: Ics } } },
    async (request, reply) => sendCalendar(reply, await calendar.channel(request.params.id)),
  );
};
