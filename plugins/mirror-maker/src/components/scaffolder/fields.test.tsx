import type { Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { ClusterList, MirrorMakerApi, mirrorMakerApiRef } from '../../api';
import { DataCentrePicker, dataCentreOptions } from './DataCentrePicker';
import { TopicsPicker, topicsPickerValidation } from './TopicsPicker';

const orders: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders',
    namespace: 'default',
    annotations: {
      'mirrormaker.io/topics': 'orders.dc1, refunds.dc1,, orders.dc1',
    },
  },
  spec: { type: 'service', owner: 'team-orders', lifecycle: 'production' },
};
const plain: Entity = {
  ...orders,
  metadata: { name: 'plain', namespace: 'default' },
};

const catalogApi = {
  getEntityByRef: jest.fn(
    async (ref: string) =>
      ({ 'component:default/orders': orders, 'component:default/plain': plain }[
        ref
      ]),
  ),
};

/** The props the scaffolder's form passes to a field. */
function fieldProps<T, O>(over: {
  formData?: T;
  onChange?: (value: T | undefined) => void;
  uiOptions?: O;
  otherFields?: Record<string, unknown>;
  id: string;
  title: string;
}) {
  return {
    formData: over.formData,
    onChange: over.onChange ?? jest.fn(),
    schema: { title: over.title },
    uiSchema: { 'ui:options': over.uiOptions ?? {} },
    idSchema: { $id: over.id },
    rawErrors: [],
    required: true,
    disabled: false,
    readonly: false,
    name: over.id.replace(/^root_/, ''),
    formContext: { formData: over.otherFields ?? {} },
  } as unknown as FieldExtensionComponentProps<T, O>;
}

function renderTopics(
  props: Parameters<typeof fieldProps<string[], { serviceField?: string }>>[0],
) {
  return renderInTestApp(
    <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
      <TopicsPicker {...fieldProps(props)} />
    </TestApiProvider>,
  );
}

describe('MirrorMakerTopicsPicker', () => {
  it("offers the topics of the chosen service's annotation, once each", async () => {
    const onChange = jest.fn();
    await renderTopics({
      id: 'root_topics',
      title: 'Topics',
      onChange,
      otherFields: { service: 'component:default/orders' },
    });
    const ordersBox = await screen.findByLabelText('orders.dc1');
    expect(screen.getByLabelText('refunds.dc1')).not.toBeChecked();
    expect(screen.getAllByRole('checkbox')).toHaveLength(2);
    fireEvent.click(ordersBox);
    expect(onChange).toHaveBeenLastCalledWith(['orders.dc1']);
    expect(catalogApi.getEntityByRef).toHaveBeenCalledWith(
      'component:default/orders',
    );
  });

  it('reads the service from the field ui:options.serviceField names', async () => {
    const onChange = jest.fn();
    await renderTopics({
      id: 'root_topics',
      title: 'Topics',
      formData: ['orders.dc1'],
      onChange,
      uiOptions: { serviceField: 'owner_service' },
      otherFields: { owner_service: 'component:default/orders' },
    });
    expect(await screen.findByLabelText('orders.dc1')).toBeChecked();
    fireEvent.click(screen.getByLabelText('orders.dc1'));
    expect(onChange).toHaveBeenLastCalledWith([]);
  });

  it('adds a typed topic the service does not list, and refuses an illegal name', async () => {
    const onChange = jest.fn();
    await renderTopics({
      id: 'root_topics',
      title: 'Topics',
      formData: ['orders.dc1'],
      onChange,
      otherFields: { service: 'component:default/orders' },
    });
    await screen.findByLabelText('orders.dc1');
    const input = screen.getByLabelText('Another topic');
    fireEvent.change(input, { target: { value: 'orders audit' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.getByText(/topic name contains " "/)).toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();

    fireEvent.change(input, { target: { value: ' audit.dc1 ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add topic' }));
    expect(onChange).toHaveBeenLastCalledWith(['orders.dc1', 'audit.dc1']);
  });

  it('shows a typed topic as a checked box', async () => {
    await renderTopics({
      id: 'root_topics',
      title: 'Topics',
      formData: ['audit.dc1'],
      otherFields: { service: 'component:default/orders' },
    });
    await screen.findByLabelText('orders.dc1');
    expect(screen.getByLabelText('audit.dc1')).toBeChecked();
  });

  it('asks for the service first', async () => {
    await renderTopics({ id: 'root_topics', title: 'Topics' });
    expect(screen.getByText(/Choose the service first/)).toBeInTheDocument();
    expect(screen.queryAllByRole('checkbox')).toHaveLength(0);
  });

  it('says when the service lists no topics', async () => {
    await renderTopics({
      id: 'root_topics',
      title: 'Topics',
      otherFields: { service: 'component:default/plain' },
    });
    expect(
      await screen.findByText(
        /component:default\/plain lists no topics: it has no mirrormaker.io\/topics annotation/,
      ),
    ).toBeInTheDocument();
  });

  it('says when the service is not in the catalog', async () => {
    await renderTopics({
      id: 'root_topics',
      title: 'Topics',
      otherFields: { service: 'component:default/gone' },
    });
    expect(
      await screen.findByText(/component:default\/gone is not in the catalog/),
    ).toBeInTheDocument();
  });

  it('validates every topic name', () => {
    const addError = jest.fn();
    topicsPickerValidation(
      ['orders.dc1', 'bad/name'],
      { addError } as any,
      {} as any,
    );
    expect(addError).toHaveBeenCalledTimes(1);
    expect(addError).toHaveBeenCalledWith(
      expect.stringMatching(/^bad\/name: topic name contains "\/"/),
    );
  });
});

const clusters: ClusterList = {
  items: [
    {
      name: 'kafka-dc1',
      dataCentre: 'dc1',
      topicSuffix: 'dc1',
      brokers: ['b1:9092'],
      securityProtocol: 'PLAINTEXT',
      checkedAt: '2026-11-24T12:00:00.000Z',
      reachable: true,
      brokerCount: 1,
      clusterId: 'a',
    },
    {
      name: 'kafka-dc2',
      dataCentre: 'dc2',
      topicSuffix: 'dc2',
      brokers: ['b2:9092'],
      securityProtocol: 'PLAINTEXT',
      checkedAt: '2026-11-24T12:00:00.000Z',
      reachable: false,
      error: 'connection refused',
    },
    {
      name: 'kafka-dc1-analytics',
      dataCentre: 'dc1',
      topicSuffix: 'dc1a',
      brokers: ['b3:9092'],
      securityProtocol: 'PLAINTEXT',
      checkedAt: '2026-11-24T12:00:00.000Z',
      reachable: true,
      brokerCount: 1,
      clusterId: 'c',
    },
  ],
};

function renderDc(
  api: Partial<MirrorMakerApi>,
  props: Parameters<typeof fieldProps<string, { differentFrom?: string }>>[0],
) {
  return renderInTestApp(
    <TestApiProvider apis={[[mirrorMakerApiRef, api]]}>
      <DataCentrePicker {...fieldProps(props)} />
    </TestApiProvider>,
  );
}

describe('MirrorMakerDataCentrePicker', () => {
  it('groups the configured clusters by data centre', () => {
    expect(dataCentreOptions(clusters.items)).toEqual([
      {
        dataCentre: 'dc1',
        label:
          'dc1 (kafka-dc1, topics .dc1; kafka-dc1-analytics, topics .dc1a)',
      },
      { dataCentre: 'dc2', label: 'dc2 (kafka-dc2, topics .dc2)' },
    ]);
  });

  it('offers the data centres of GET /clusters and reports the choice', async () => {
    const onChange = jest.fn();
    await renderDc(
      { listClusters: async () => clusters },
      { id: 'root_sourceDataCentre', title: 'Source data centre', onChange },
    );
    const select = screen.getByTestId('dc-picker-root_sourceDataCentre');
    await waitFor(() => expect(select).toBeEnabled());
    const options = [...(select as HTMLSelectElement).options];
    expect(options.map(o => o.value)).toEqual(['', 'dc1', 'dc2']);
    expect(options[2].textContent).toBe('dc2 (kafka-dc2, topics .dc2)');
    expect(screen.getByLabelText(/Source data centre/)).toBe(select);
    fireEvent.change(select, { target: { value: 'dc2' } });
    expect(onChange).toHaveBeenLastCalledWith('dc2');
  });

  it('disables the data centre chosen in the field differentFrom names', async () => {
    await renderDc(
      { listClusters: async () => clusters },
      {
        id: 'root_targetDataCentre',
        title: 'Target data centre',
        uiOptions: { differentFrom: 'sourceDataCentre' },
        otherFields: { sourceDataCentre: 'dc1' },
      },
    );
    const select = screen.getByTestId(
      'dc-picker-root_targetDataCentre',
    ) as HTMLSelectElement;
    await waitFor(() => expect(select).toBeEnabled());
    const dc1 = [...select.options].find(o => o.value === 'dc1')!;
    expect(dc1.disabled).toBe(true);
    expect(dc1.textContent).toMatch(/chosen as sourceDataCentre/);
  });

  it('says why there is nothing to choose', async () => {
    await renderDc(
      {
        listClusters: async () => {
          throw new Error('backend down');
        },
      },
      { id: 'root_sourceDataCentre', title: 'Source data centre' },
    );
    expect(
      await screen.findByText('Could not load the clusters: backend down'),
    ).toBeInTheDocument();
  });
});
