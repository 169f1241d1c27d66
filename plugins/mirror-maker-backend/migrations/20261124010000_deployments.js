// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('revisions', table => {
    table.comment(
      'Immutable snapshots of what a deployment looked like when it was deployed',
    );
    table.string('id', 36).primary().comment('UUID chosen by the backend');
    table.string('deployment_ref', 255).notNullable().index();
    table
      .integer('number')
      .notNullable()
      .comment('1, 2, 3... per deployment; what people refer to');
    // Also what makes concurrent writers of the next number collide instead of
    // both getting it.
    table.unique(['deployment_ref', 'number']);
    table
      .string('content_hash', 64)
      .notNullable()
      .comment('Hash of the rendered files, to tell whether anything changed');
    table.text('entity').notNullable().comment('JSON of the catalog entity');
    table
      .text('files')
      .notNullable()
      .comment('JSON array of { path, mode, content }, secrets redacted');
    table.string('created_by', 255).notNullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.text('reason').notNullable();
  });

  await knex.schema.createTable('rollouts', table => {
    table.comment('Attempts to bring the hosts of a deployment to a revision');
    table.string('id', 36).primary().comment('UUID chosen by the backend');
    table.string('deployment_ref', 255).notNullable().index();
    table
      .string('revision_id', 36)
      .notNullable()
      .references('id')
      .inTable('revisions');
    table
      .string('previous_revision_id', 36)
      .nullable()
      .references('id')
      .inTable('revisions')
      .comment('What was running before; the target of an automatic rollback');
    table.string('kind', 16).notNullable().comment('deploy | rollback');
    table
      .string('status', 16)
      .notNullable()
      .index()
      .comment('pending | running | succeeded | failed | stopped');
    table.text('reason').notNullable();
    table.string('actor', 255).notNullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.text('message').nullable().comment('Why it failed or was stopped');
    table.integer('total_steps').notNullable().defaultTo(0);
    table.integer('done_steps').notNullable().defaultTo(0);
    table.boolean('auto_rollback').notNullable().defaultTo(false);
  });

  await knex.schema.createTable('rollout_events', table => {
    table.comment('Progress of a rollout, step by step, for its log');
    table.increments('id');
    table
      .string('rollout_id', 36)
      .notNullable()
      .index()
      .references('id')
      .inTable('rollouts');
    table
      .timestamp('at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.integer('step').notNullable();
    table.integer('total').notNullable();
    table.string('host', 255).nullable();
    table.integer('process_index').nullable();
    table.string('kind', 32).notNullable();
    table.text('message').notNullable();
    table.integer('duration_ms').nullable();
  });

  await knex.schema.createTable('deployment_locks', table => {
    table.comment(
      'At most one rollout per deployment at a time, across backend instances',
    );
    table.string('deployment_ref', 255).primary();
    table.string('rollout_id', 36).notNullable();
    table
      .string('owner', 255)
      .notNullable()
      .comment('Backend instance that runs the rollout');
    // Milliseconds from the backend's clock rather than timestamps: expiry is
    // decided by comparing with the same clock, whatever the database's clock
    // or time zone handling.
    table.bigInteger('acquired_at').notNullable().comment('ms since epoch');
    table.bigInteger('expires_at').notNullable().comment('ms since epoch');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('deployment_locks');
  await knex.schema.dropTable('rollout_events');
  await knex.schema.dropTable('rollouts');
  await knex.schema.dropTable('revisions');
};
