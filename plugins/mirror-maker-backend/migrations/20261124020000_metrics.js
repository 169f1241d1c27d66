// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('flow_samples', table => {
    table.comment(
      'Offset sums of a deployment, sampled periodically; rates are differences between consecutive rows',
    );
    table.bigIncrements('id');
    table.string('deployment_ref', 255).notNullable();
    // Milliseconds from the sampling backend's clock, like the lock columns:
    // rates divide by differences of these, so every row needs the same clock
    // and no time zone handling.
    table.bigInteger('sampled_at').notNullable().comment('ms since epoch');
    table
      .bigInteger('source_end_offsets')
      .nullable()
      .comment(
        'Sum of log-end offsets of the flow topics on the source; null when the source could not be read',
      );
    table
      .bigInteger('target_end_offsets')
      .nullable()
      .comment('Same for the same-named topics on the target');
    table
      .bigInteger('lag')
      .nullable()
      .comment('Total lag of the MirrorMaker group; null when unknown');
    table.index(['deployment_ref', 'sampled_at']);
    // Pruning deletes by age across every deployment.
    table.index(['sampled_at']);
  });

  await knex.schema.createTable('heartbeats', table => {
    table.comment(
      'Heartbeat records that came through a deployment, with their end-to-end latency',
    );
    table.bigIncrements('id');
    table.string('deployment_ref', 255).notNullable();
    table
      .bigInteger('sent_at')
      .notNullable()
      .comment('ms since epoch, by the producing backend');
    table
      .bigInteger('received_at')
      .notNullable()
      .comment('ms since epoch, by the consuming backend');
    table.integer('latency_ms').notNullable();
    table.index(['deployment_ref', 'received_at']);
    table.index(['received_at']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('heartbeats');
  await knex.schema.dropTable('flow_samples');
};
