// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('replication_requests', table => {
    table.comment(
      'Requests to replicate topics from one data centre to another, with their decision and rollout',
    );
    table.string('id', 36).primary().comment('UUID chosen by the backend');
    table
      .string('status', 16)
      .notNullable()
      .index()
      .comment('pending | approved | applied | failed | rejected | cancelled');
    table.string('requester', 255).notNullable().index();
    table.string('team', 255).notNullable().index();
    table.string('service', 255).nullable().index();
    table
      .text('topics')
      .notNullable()
      .comment('JSON array of topic names; empty for a suffix request');
    table.string('suffix', 64).nullable();
    table.string('source_data_centre', 64).notNullable();
    table.string('target_data_centre', 64).notNullable();
    table.string('source_cluster', 64).notNullable();
    table.string('target_cluster', 64).notNullable();
    table
      .string('deployment_ref', 255)
      .nullable()
      .index()
      .comment(
        'The MirrorMaker that carries the topics; for a new-deployment request set on approval',
      );
    table.boolean('new_deployment').notNullable().defaultTo(false);
    table.text('reason').notNullable();
    table.string('desired_date', 10).nullable().comment('YYYY-MM-DD');
    table
      .text('warnings')
      .notNullable()
      .comment('JSON array of the warnings found at validation');
    table.string('decided_by', 255).nullable();
    table.timestamp('decided_at', { useTz: true }).nullable();
    table.text('decision_reason').nullable();
    table
      .timestamp('scheduled_for', { useTz: true })
      .nullable()
      .comment('When an approved request waits for a maintenance window');
    table.string('rollout_id', 36).nullable();
    table.integer('revision').nullable();
    table.text('failure').nullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('replication_request_events', table => {
    table.comment('Every step in the life of a replication request');
    table.bigIncrements('id');
    table
      .string('request_id', 36)
      .notNullable()
      .references('id')
      .inTable('replication_requests')
      .onDelete('CASCADE')
      .index();
    table
      .timestamp('at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.string('type', 32).notNullable();
    table
      .string('actor', 255)
      .notNullable()
      .comment('User entity ref, or plugin:mirror-maker');
    table.text('message').notNullable();
  });

  await knex.schema.createTable('revision_approved_topics', table => {
    table.comment(
      'Topics of approved requests a revision was rendered with, so a rollback renders it the same way',
    );
    table
      .string('revision_id', 36)
      .primary()
      .references('id')
      .inTable('revisions')
      .onDelete('CASCADE');
    table.text('topics').notNullable().comment('JSON array of topic names');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('revision_approved_topics');
  await knex.schema.dropTable('replication_request_events');
  await knex.schema.dropTable('replication_requests');
};
