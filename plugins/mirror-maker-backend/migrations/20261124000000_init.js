// @ts-check

// Later migrations add deployments/revisions, requests and metric samples,
// each in its own file, so that every schema change can be rolled back alone.

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('managed_deployments', table => {
    table.comment(
      'MirrorMaker deployments owned by this plugin rather than by a catalog location',
    );
    table.string('namespace', 255).notNullable();
    table.string('name', 255).notNullable();
    table.primary(['namespace', 'name']);
    table
      .text('entity')
      .notNullable()
      .comment(
        'JSON of the whole catalog entity as the entity provider emits it',
      );
    table.string('created_by', 255).notNullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.string('updated_by', 255).notNullable();
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table
      .integer('version')
      .notNullable()
      .defaultTo(1)
      .comment(
        'Bumped on every replace so that writers can detect lost updates',
      );
  });

  await knex.schema.createTable('audit_log', table => {
    table.comment('Who changed what through the plugin, including refusals');
    table.increments('id');
    table
      .timestamp('at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .index();
    table.string('actor', 255).notNullable();
    table.string('action', 255).notNullable();
    table.string('entity_ref', 255).nullable().index();
    table
      .string('outcome', 16)
      .notNullable()
      .comment('succeeded | failed | denied');
    table.text('details').nullable().comment('JSON object');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('audit_log');
  await knex.schema.dropTable('managed_deployments');
};
